/**
 * Our lines' delivery (protocol v2): the pending set keyed by id, the full-screen marks (pending until
 * acknowledged, "not delivered" when given up) and how they are drawn, and the failure reports of the prompt
 * and pipe UIs. Over v1 say() returns no id and nothing is marked.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { ClientState } from '../../src/client/events.ts';
import type { ChatSayResult } from '../../src/client/relay-commands.ts';
import type { RoomsSnapshot } from '../../src/client/room-tracker.ts';
import { TypedEmitter } from '../../src/client/typed-emitter.ts';
import type { ChatClientEvents } from '../../src/client-host/chat-client.ts';
import { displayWidth } from '../../src/terminal/width.ts';
import { gapMessage, undeliveredMessage } from '../../src/tui/format.ts';
import { PendingLines, UndeliveredReporter } from '../../src/tui/pending-lines.ts';
import { BufferList, ChatBuffer } from '../../src/tui/screen/buffers.ts';
import { DeliveryMarks } from '../../src/tui/screen/delivery.ts';
import { type InputClient, InputCommands } from '../../src/tui/screen/input-commands.ts';
import { FAILED_MARK, LineView, PENDING_MARK } from '../../src/tui/screen/line-view.ts';
import type { BufferLine, LineBody, MessageBody } from '../../src/tui/screen/lines.ts';
import { ChatModel } from '../../src/tui/screen/model.ts';
import { RoomSync } from '../../src/tui/screen/room-sync.ts';
import { rowText } from '../../src/tui/screen/styled.ts';
import { DEFAULT_THEME } from '../../src/tui/screen/theme.ts';

const AT = new Date(2024, 0, 2, 9, 30);

/** say() answers with the next id, as a client over v2 does; `v1` turns the ids off. */
class FakeClient implements InputClient {
  readonly sent: string[] = [];
  rooms: RoomsSnapshot = { rooms: ['#lobby'], current: '#lobby' };
  nick = 'alice';
  state: ClientState = 'joined';
  v1 = false;
  private nextId = 0;
  say(text: string): ChatSayResult {
    this.sent.push(text);
    if (this.v1) return { ok: true };
    this.nextId += 1;
    return { ok: true, id: this.nextId };
  }
  msg(nick: string, text: string): ChatSayResult {
    return this.say(`/msg ${nick} ${text}`);
  }
  me(action: string): ChatSayResult {
    return this.say(`/me ${action}`);
  }
  help(): ChatSayResult {
    return this.say('/help');
  }
  switchRoom(room: string): ChatSayResult {
    return this.say(`/switch ${room}`);
  }
}

function setup(columns = 80) {
  const client = new FakeClient();
  const buffers = new BufferList(new ChatBuffer('room', '#lobby'));
  const view = new LineView({ theme: DEFAULT_THEME, timestampFormat: '' });
  const model = new ChatModel(
    buffers,
    view,
    () => columns,
    () => AT,
  );
  const marks = new DeliveryMarks(model);
  const rooms = new RoomSync(client, model);
  const commands = new InputCommands(client, model, rooms, {
    quit: () => {},
    lag: () => {},
    sent: (id, line) => marks.sent(id, line),
  });
  const shown = (buffer = buffers.focused): string[] =>
    buffer.lines.flatMap((line) => view.rows(line, columns).map(rowText));
  return { client, buffers, view, model, marks, commands, shown };
}

const own = (text: string, delivery?: 'pending' | 'failed'): MessageBody => ({
  kind: 'chat',
  nick: 'alice',
  text,
  own: true,
  mention: false,
  ...(delivery === undefined ? {} : { delivery }),
});

function bodies(buffer: ChatBuffer | undefined): LineBody[] {
  return (buffer?.lines ?? []).map((line) => line.body);
}

describe('the pending set', () => {
  test('a line is pending from its id until acked or failed; other ids are not ours', () => {
    const pending = new PendingLines<string>();
    assert.equal(pending.sent(4, 'hello'), undefined);
    assert.equal(pending.sent(5, 'again'), undefined);
    assert.equal(pending.settle(3), undefined, 'a keep-alive ping or a /join of the session');
    assert.equal(pending.settle(4), 'hello');
    assert.equal(pending.settle(4), undefined, 'settled once');
    assert.equal(pending.size, 1);
    assert.equal(pending.settle(5), 'again');
  });

  test('abandon() gives up every pending line, oldest first; an id used again displaces the stale line', () => {
    const pending = new PendingLines<string>();
    pending.sent(7, 'a');
    pending.sent(8, 'b');
    assert.deepEqual(pending.abandon(), ['a', 'b']);
    assert.equal(pending.size, 0);
    pending.sent(0, 'old session');
    assert.equal(pending.sent(0, 'new session'), 'old session');
    assert.equal(pending.settle(0), 'new session');
  });
});

describe('marks in the full-screen UI', () => {
  test('an own line is pending until acknowledged, then looks like any line', () => {
    const { commands, marks, buffers, shown } = setup();
    assert.equal(commands.run('hello'), true);
    assert.deepEqual(bodies(buffers.focused), [own('hello', 'pending')]);
    assert.deepEqual(shown(), [`<alice> hello ${PENDING_MARK}`]);
    assert.equal(marks.waiting, 1);
    marks.acked(1);
    assert.deepEqual(bodies(buffers.focused), [own('hello')]);
    assert.deepEqual(shown(), ['<alice> hello']);
    assert.equal(marks.waiting, 0);
  });

  test('a failed line is marked and a note quotes it; an acknowledgement after that changes nothing', () => {
    const { commands, marks, buffers, shown } = setup();
    commands.run('are you there?');
    marks.failed(1);
    assert.deepEqual(shown(), [
      `<alice> are you there? ${FAILED_MARK}`,
      `-!- ${undeliveredMessage('are you there?')}`,
    ]);
    marks.acked(1);
    assert.deepEqual(bodies(buffers.focused)[0], own('are you there?', 'failed'));
  });

  test('/me and private messages are marked where they are shown; the note goes to the focused buffer', () => {
    const { commands, marks, buffers } = setup();
    commands.run('/me waves');
    commands.run('/msg bob psst');
    const bob = buffers.find('dm', 'bob');
    assert.deepEqual(bodies(buffers.focused), [{ ...own('waves', 'pending'), kind: 'action' }]);
    assert.deepEqual(bodies(bob), [own('psst', 'pending')]);
    marks.acked(1);
    marks.failed(2);
    assert.deepEqual(bodies(bob), [own('psst', 'failed')]);
    assert.deepEqual(bodies(buffers.focused), [
      { ...own('waves'), kind: 'action' },
      { kind: 'local', text: 'line not delivered: "psst"', tone: 'error' },
    ]);
  });

  test('a relay command is not shown: only its failure is, as a note', () => {
    const { commands, marks, buffers } = setup();
    commands.run('/join #rust');
    assert.equal(buffers.focused.lines.length, 0);
    marks.failed(1);
    assert.deepEqual(bodies(buffers.focused), [
      { kind: 'local', text: 'line not delivered: "/join #rust"', tone: 'error' },
    ]);
  });

  test('over v1 (no id) nothing is marked pending and nothing is tracked', () => {
    const { commands, client, marks, buffers } = setup();
    client.v1 = true;
    commands.run('hello');
    assert.deepEqual(bodies(buffers.focused), [own('hello')]);
    assert.equal(marks.waiting, 0);
  });

  test('when the relay forgets us every pending line is given up, and its id may come back', () => {
    const { commands, marks, buffers } = setup();
    commands.run('one');
    commands.run('two');
    marks.acked(1);
    marks.lost();
    assert.deepEqual(bodies(buffers.focused).slice(0, 2), [own('one'), own('two', 'failed')]);
    assert.equal(marks.waiting, 0);
    // A new session numbers its lines from the start again: id 2 is now someone else's line.
    marks.acked(2);
    assert.deepEqual(bodies(buffers.focused)[1], own('two', 'failed'));
  });

  test('an id used again means the session was replaced: the stale line is given up', () => {
    const { model, marks, buffers } = setup();
    const body = own('stale', 'pending');
    const line = model.add(buffers.focused, body);
    marks.sent(0, { text: 'stale', shown: { buffer: buffers.focused, seq: line.seq, body } });
    marks.sent(0, { text: '/who', shown: null });
    assert.deepEqual(bodies(buffers.focused)[0], own('stale', 'failed'));
    marks.acked(0);
    assert.deepEqual(bodies(buffers.focused)[0], own('stale', 'failed'));
  });

  test('a line trimmed or cleared away meanwhile is still reported, not drawn', () => {
    const { commands, marks, buffers } = setup();
    commands.run('gone soon');
    buffers.clear(buffers.focused);
    marks.failed(1);
    assert.deepEqual(bodies(buffers.focused), [
      { kind: 'local', text: 'line not delivered: "gone soon"', tone: 'error' },
    ]);
  });

  test('lines the relay gave up on sending us are a note in the focused buffer', () => {
    const { marks, buffers } = setup();
    marks.gap(3);
    marks.gap(1);
    assert.deepEqual(
      bodies(buffers.focused).map((b) => (b.kind === 'local' ? b.text : '')),
      ['3 lines from the relay were lost', '1 line from the relay was lost'],
    );
  });
});

describe('drawing the marks', () => {
  const view = new LineView({ theme: DEFAULT_THEME, timestampFormat: '%H:%M' });
  const rows = (body: LineBody, width: number): string[] =>
    view.rows({ seq: 1, at: AT, body } satisfies BufferLine, width).map(rowText);

  test('the mark follows the text, on its last row if it fits, else on a row of its own', () => {
    assert.deepEqual(rows(own('one two three'), 27), ['09:30 <alice> one two three']);
    assert.deepEqual(rows(own('one two three', 'pending'), 29), ['09:30 <alice> one two three …']);
    assert.deepEqual(rows(own('one two three', 'pending'), 28), [
      '09:30 <alice> one two three',
      '              …',
    ]);
    assert.deepEqual(rows(own('one two three', 'failed'), 30), [
      '09:30 <alice> one two three',
      '              ✗ not delivered',
    ]);
    assert.deepEqual(rows(own('one two three', 'failed'), 24), [
      '09:30 <alice> one two',
      '            three',
      '            ✗ not',
      '            delivered',
    ]);
  });

  test('the pending mark is dim, the failure red and bold', () => {
    const pending = view.rows({ seq: 1, at: AT, body: own('x', 'pending') }, 40)[0] ?? [];
    assert.equal(pending.at(-1)?.text, '…');
    assert.equal(pending.at(-1)?.style.dim, true);
    const failed = view.rows({ seq: 1, at: AT, body: own('x', 'failed') }, 40)[0] ?? [];
    assert.equal(failed.at(-1)?.style.fg, DEFAULT_THEME.error);
    assert.equal(failed.at(-1)?.style.bold, true);
  });

  test('a mark never re-wraps the text and never overflows the width (property)', () => {
    const words = fc.array(fc.constantFrom('word', '王様', '😀', 'e\u0301', ' ', 'x'.repeat(30)), {
      minLength: 1,
      maxLength: 20,
    });
    fc.assert(
      fc.property(
        words,
        fc.integer({ min: 1, max: 100 }),
        fc.constantFrom('pending' as const, 'failed' as const),
        fc.constantFrom('chat' as const, 'action' as const),
        (parts, width, delivery, kind) => {
          const body = { ...own(parts.join('x')), kind };
          const plain = view.rows({ seq: 1, at: AT, body }, width).map(rowText);
          const marked = view.rows({ seq: 1, at: AT, body: { ...body, delivery } }, width).map(rowText);
          const last = plain.length - 1;
          // Every row but the last is unchanged; the last one only gained the mark at its end, or not at all.
          assert.deepEqual(marked.slice(0, last), plain.slice(0, last));
          assert.ok(marked[last]?.startsWith(plain[last] ?? ''));
          // What the mark added fits (a wide character in a 1-column terminal overflows with or without it).
          const added = marked.slice(last).filter((row, index) => index > 0 || row !== plain[last]);
          assert.ok(added.length > 0);
          for (const row of added) assert.ok(displayWidth(row) <= width, `${row} > ${width}`);
        },
      ),
    );
  });

  test('a reader scrolled up keeps their place when a line below them changes height', () => {
    const { model, buffers } = setup(20);
    const lobby = buffers.focused;
    const body = own('eleven char', 'pending');
    const line = model.add(lobby, body);
    for (let i = 0; i < 5; i += 1) model.add(lobby, own(`later ${i}`));
    lobby.scroll = 8;
    // `<alice> eleven char …` is 21 columns: 2 rows at 20; acknowledged it is 1.
    model.replace(lobby, line.seq, own('eleven char'));
    assert.equal(lobby.scroll, 7);
    lobby.scroll = 3;
    model.replace(lobby, line.seq, own('eleven char', 'failed'));
    assert.equal(lobby.scroll, 3, 'the changed line is above the view: nothing moves');
  });
});

/** A client whose events the test fires. */
class FakeEvents extends TypedEmitter<ChatClientEvents> {
  fire<K extends keyof ChatClientEvents>(name: K, payload: ChatClientEvents[K]): void {
    this.emit(name, payload);
  }
}

describe('failure reports of the prompt and pipe UIs', () => {
  test('a line never acknowledged is reported once; acknowledged ones and v1 lines are not', () => {
    const events = new FakeEvents();
    const reports: string[] = [];
    const reporter = new UndeliveredReporter(events, (message) => reports.push(message));
    reporter.sent({ ok: true, id: 1 }, 'fine');
    reporter.sent({ ok: true, id: 2 }, 'lost in transit');
    reporter.sent({ ok: true }, 'over v1');
    reporter.sent({ ok: false, error: { code: 'too-long', message: 'too long' } }, 'refused');
    events.fire('acked', { type: 'acked', id: 1 });
    events.fire('failed', { type: 'failed', id: 2 });
    events.fire('failed', { type: 'failed', id: 2 });
    events.fire('failed', { type: 'failed', id: 9 });
    assert.deepEqual(reports, ['line not delivered: "lost in transit"']);
  });

  test('lines pending when the relay forgets us are reported', () => {
    const events = new FakeEvents();
    const reports: string[] = [];
    const reporter = new UndeliveredReporter(events, (message) => reports.push(message));
    reporter.sent({ ok: true, id: 3 }, 'in flight');
    events.fire('rejoining', { type: 'rejoining' });
    events.fire('acked', { type: 'acked', id: 3 });
    assert.deepEqual(reports, ['line not delivered: "in flight"']);
  });

  test('the quote is the first 40 characters, never half a character', () => {
    assert.equal(undeliveredMessage('short'), 'line not delivered: "short"');
    const long = `${'王'.repeat(39)}👨‍👩‍👧 and more`;
    assert.equal(undeliveredMessage(long), `line not delivered: "${'王'.repeat(39)}👨‍👩‍👧…"`);
    assert.equal(gapMessage(2), '2 lines from the relay were lost');
  });
});
