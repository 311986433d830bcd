/** History in the full-screen client: apart from live lines, at the time it was said, never unread; the gap marked. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RoomsSnapshot } from '../../src/client/room-tracker.ts';
import { BufferList, ChatBuffer } from '../../src/tui/screen/buffers.ts';
import { LineView } from '../../src/tui/screen/line-view.ts';
import { ChatModel } from '../../src/tui/screen/model.ts';
import { RoomSync } from '../../src/tui/screen/room-sync.ts';
import { EventRouter } from '../../src/tui/screen/router.ts';
import { DEFAULT_THEME } from '../../src/tui/screen/theme.ts';

const SAID = Date.UTC(2026, 11, 3, 7, 1, 2);

function setup() {
  const buffers = new BufferList(new ChatBuffer('room', '#lobby'));
  const view = new LineView({ theme: DEFAULT_THEME, timestampFormat: '%H:%M' });
  const model = new ChatModel(
    buffers,
    view,
    () => 80,
    () => new Date(SAID + 3_600_000),
  );
  const client = {
    rooms: { rooms: ['#lobby'], current: '#lobby' } as RoomsSnapshot,
    switchRoom: () => ({ ok: true as const }),
  };
  const router = new EventRouter(model, new RoomSync(client, model), () => 'alice');
  return { buffers, view, router };
}

function text(view: LineView, buffer: ChatBuffer | undefined, index: number): string {
  const line = buffer?.lines.at(index);
  return line === undefined
    ? ''
    : view
        .look(line)
        .spans.map((s) => s.text)
        .join('');
}

describe('history in the full-screen client', () => {
  test('a history line is drawn marked and dim, stamped with the time it was said, and is not unread', () => {
    const { buffers, view, router } = setup();
    router.history({
      type: 'history',
      room: '#den',
      id: 42,
      at: SAID,
      nick: 'bob',
      text: 'hi',
      action: false,
      line: '',
    });
    const den = buffers.find('room', '#den');
    const stamp = new Date(SAID);
    const hhmm = `${String(stamp.getHours()).padStart(2, '0')}:${String(stamp.getMinutes()).padStart(2, '0')}`;
    assert.equal(text(view, den, -1), `${hhmm} [history] <bob> hi`);
    const drawn = den?.lines.at(-1);
    assert.ok(drawn !== undefined);
    const look = view.look(drawn);
    assert.ok(
      look.spans.slice(1).every((s) => s.style?.dim === true),
      'every part of it is dim',
    );
    assert.equal(den?.unread, 0);
    router.chat({ type: 'chat', room: '#den', nick: 'bob', text: 'live now', line: '' });
    assert.doesNotMatch(text(view, den, -1), /history/);
    assert.equal(den?.unread, 1);
  });

  test("a reconnect's gap is marked in its room, before the lines missed", () => {
    const { buffers, view, router } = setup();
    router.gapFilled({ type: 'gap-filled', room: '#den', count: 12, more: false });
    assert.match(text(view, buffers.find('room', '#den'), -1), /12 lines while you were away/);
    router.gapFilled({ type: 'gap-filled', room: '#den', count: 0, more: false });
    assert.match(text(view, buffers.find('room', '#den'), -1), /nothing was said here while you were away/);
  });

  test('the read marker survives a reconnect: the missed lines come after it', () => {
    const { buffers, router } = setup();
    router.chat({ type: 'chat', room: '#den', nick: 'bob', text: 'read before', line: '' });
    const den = buffers.find('room', '#den');
    assert.ok(den !== undefined);
    buffers.focus(den);
    buffers.focus(buffers.find('room', '#lobby') ?? den);
    const marker = den.readMarker;
    assert.equal(marker, den.lines.at(-1)?.seq);
    // The relay restarted; the client came back and filled the gap.
    router.gapFilled({ type: 'gap-filled', room: '#den', count: 1, more: false });
    router.history({
      type: 'history',
      room: '#den',
      id: 9,
      at: SAID,
      nick: 'bob',
      text: 'missed',
      action: false,
      line: '',
    });
    assert.equal(den.readMarker, marker, 'still where it was');
    const after = den.lines
      .filter((line) => marker !== null && line.seq > marker)
      .map((line) => line.body.kind);
    assert.deepEqual(after, ['local', 'history']);
  });
});
