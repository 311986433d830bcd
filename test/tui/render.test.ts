/** Frames from UI state, as text rows: layout, read marker, scrollback, the input line, any size. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { ConnectionStatus } from '../../src/client/events.ts';
import { BufferList, ChatBuffer } from '../../src/tui/screen/buffers.ts';
import { InputLine } from '../../src/tui/screen/input-line.ts';
import { LineView } from '../../src/tui/screen/line-view.ts';
import type { LineBody } from '../../src/tui/screen/lines.ts';
import { type Frame, Renderer } from '../../src/tui/screen/render.ts';
import { encodeRow } from '../../src/tui/screen/row-encoding.ts';
import { rowText } from '../../src/tui/screen/styled.ts';
import { DEFAULT_THEME } from '../../src/tui/screen/theme.ts';

const AT = new Date(2024, 0, 2, 9, 30);
type Protocol = 'probing' | 'v1' | 'v2';
const CONNECTED: ConnectionStatus = {
  state: 'joined',
  rttMs: 12,
  silentMs: 0,
  overdue: false,
  attempt: 1,
  nextAttemptInMs: null,
};

function setup(timestampFormat = '%H:%M') {
  const buffers = new BufferList(new ChatBuffer('room', '#lobby'));
  const input = new InputLine();
  const renderer = new Renderer(new LineView({ theme: DEFAULT_THEME, timestampFormat }), DEFAULT_THEME);
  const state = (connection: ConnectionStatus, protocol: Protocol) => ({
    buffers,
    input,
    status: { nick: 'alice', relay: '127.0.0.1:9999', connection, protocol, now: AT },
  });
  const draw = (
    columns: number,
    rows: number,
    connection: ConnectionStatus = CONNECTED,
    protocol: Protocol = 'probing',
  ): Frame => renderer.render(state(connection, protocol), { columns, rows });
  return { buffers, input, draw };
}

function text(frame: Frame): string[] {
  return frame.rows.map((row) => rowText(row).trimEnd());
}

const say = (nick: string, words: string): LineBody => ({
  kind: 'chat',
  nick,
  text: words,
  own: false,
  mention: false,
});

describe('the frame', () => {
  test('title, bottom-aligned messages, status bar and input line', () => {
    const { buffers, input, draw } = setup();
    buffers.add(buffers.focused, say('bob', 'hi there'), AT);
    input.insert('hello');
    const frame = draw(70, 6);
    assert.deepEqual(text(frame), [
      ' #lobby',
      '',
      '',
      '09:30 <bob> hi there',
      '[09:30] [alice] [127.0.0.1:9999] [1:#lobby] [connected 12 ms]',
      '[#lobby] hello',
    ]);
    assert.deepEqual(frame.cursor, { row: 5, column: 14 });
  });

  test('every row is exactly as wide as the terminal, whatever is in the buffers (property)', () => {
    const words = fc.array(fc.constantFrom('word', '王様', '😀', 'e\u0301', ' ', 'x'.repeat(30)), {
      maxLength: 30,
    });
    fc.assert(
      fc.property(
        fc.array(words, { maxLength: 8 }),
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 1, max: 40 }),
        (lines, columns, rows) => {
          const { buffers, input, draw } = setup();
          for (const line of lines) buffers.add(buffers.focused, say('bob', line.join('')), AT);
          input.insert('王'.repeat(80));
          const frame = draw(columns, rows);
          assert.equal(frame.rows.length, rows);
          for (const row of frame.rows) assert.equal(row.length, columns);
          assert.ok(frame.cursor.column < columns);
        },
      ),
    );
  });

  test('a resize re-wraps the same lines for the new width', () => {
    const { buffers, draw } = setup('');
    buffers.add(buffers.focused, say('bob', 'one two three four five six'), AT);
    assert.deepEqual(text(draw(40, 4)).slice(1, 2), ['<bob> one two three four five six']);
    assert.deepEqual(text(draw(20, 5)).slice(1, 3), ['<bob> one two three', '      four five six']);
  });
});

describe('read marker and scrollback', () => {
  test('the marker sits after the last line seen when we left', () => {
    const { buffers, draw } = setup('');
    const lobby = buffers.focused;
    const rust = buffers.ensure('room', '#rust');
    buffers.add(lobby, say('bob', 'old'), AT);
    buffers.focus(rust);
    buffers.add(lobby, say('bob', 'new'), AT);
    buffers.focus(lobby);
    assert.deepEqual(text(draw(10, 6)).slice(1, 4), ['<bob> old', '----------', '<bob> new']);
  });

  test('PgUp scrolls back, is clamped at the oldest line, and shows -- more --', () => {
    const { buffers, draw } = setup('');
    for (let i = 1; i <= 10; i += 1) buffers.add(buffers.focused, say('bob', `line ${i}`), AT);
    buffers.focused.scroll = 3;
    const frame = draw(50, 6);
    assert.deepEqual(text(frame).slice(1, 4), ['<bob> line 5', '<bob> line 6', '<bob> line 7']);
    assert.match(text(frame)[4] ?? '', /-- more --/);
    buffers.focused.scroll = 100;
    const top = draw(50, 6);
    assert.equal(top.scroll, 7);
    assert.equal(text(top)[1], '<bob> line 1');
  });
});

describe('status and input', () => {
  test('the connection state is spelled out honestly', () => {
    const { draw } = setup();
    const overdue = { ...CONNECTED, overdue: true, silentMs: 12_400 };
    assert.match(text(draw(100, 4, overdue))[2] ?? '', /\[no answer for 12 s\]/);
    const reconnecting = {
      ...CONNECTED,
      state: 'reconnecting' as const,
      silentMs: 20_000,
      attempt: 3,
      nextAttemptInMs: 3_500,
    };
    assert.match(text(draw(100, 4, reconnecting))[2] ?? '', /\[no answer for 20 s, reconnecting in 4 s\]/);
    // Failover: the client is on its way to another relay of the cluster, and says which.
    const moving = { ...reconnecting, movingTo: '10.0.0.2:9999' };
    assert.match(text(draw(100, 4, moving))[2] ?? '', /\[relay lost, moving to 10\.0\.0\.2:9999\]/);
    const joining = { ...CONNECTED, state: 'joining' as const, rttMs: null };
    assert.match(text(draw(100, 4, joining))[2] ?? '', /\[joining\]/);
  });

  test('the protocol stands next to the connection state once known, and gives way on a narrow bar', () => {
    const { draw } = setup();
    assert.match(text(draw(100, 4, CONNECTED, 'v2'))[2] ?? '', /\[connected 12 ms\] \[v2\]$/);
    assert.match(text(draw(100, 4, CONNECTED, 'v1'))[2] ?? '', /\[connected 12 ms\] \[v1\]$/);
    assert.doesNotMatch(text(draw(100, 4, CONNECTED, 'probing'))[2] ?? '', /\[v\d\]/);
    assert.equal(text(draw(23, 4, CONNECTED, 'v2'))[2], '[connected 12 ms] [v2]');
    assert.equal(text(draw(20, 4, CONNECTED, 'v2'))[2], '[connected 12 ms]');
  });

  test('unread counts and a mention mark in the Act list', () => {
    const { buffers, draw } = setup();
    const rust = buffers.ensure('room', '#rust');
    const bob = buffers.ensure('dm', 'bob');
    buffers.add(rust, say('carol', 'x'), AT);
    buffers.add(rust, say('carol', 'y'), AT);
    buffers.add(bob, { kind: 'chat', nick: 'bob', text: 'psst', own: false, mention: true }, AT);
    assert.match(text(draw(120, 4))[2] ?? '', /\[Act: 2:#rust\(2\) 3:bob\(1!\)\]/);
    assert.match(text(draw(60, 4))[2] ?? '', /\[connected 12 ms\] \[Act: 2\(2\) 3\(1!\)\]$/, 'short form');
  });

  test('a long input scrolls sideways to keep the cursor on screen, wide characters included', () => {
    const { input, draw } = setup();
    input.insert(`${'王'.repeat(30)}end`);
    const frame = draw(30, 4);
    const last = text(frame)[3] ?? '';
    assert.ok(last.startsWith('[#lobby] '));
    assert.ok(last.endsWith('end'), last);
    assert.equal(frame.cursor.column, 28, 'after the prompt (9) and the 19 columns shown before it');
  });

  test('terminal rows carry their colours as SGR and nothing else', () => {
    const { buffers, draw } = setup();
    buffers.add(buffers.focused, say('bob', 'hi'), AT);
    const encoded = encodeRow(draw(20, 4).rows[1] ?? []);
    assert.match(encoded, /\x1b\[0;1;38;5;\d+m<bob>/);
    assert.doesNotMatch(encoded.replace(/\x1b\[[0-9;]*m/g, ''), /\x1b/);
  });
});

describe('the status bar colours', () => {
  test('a relay that stopped answering is drawn red on the bar, a healthy one green', () => {
    const { draw } = setup();
    const overdue = { ...CONNECTED, overdue: true, silentMs: 2_400 };
    const bar = (connection: ConnectionStatus) => encodeRow(draw(80, 6, connection, 'v2').rows.at(-2) ?? []);
    assert.match(bar(overdue), /38;5;210[;0-9]*m\s*no answer for 2 s/);
    assert.match(bar(CONNECTED), /38;5;120[;0-9]*m\s*connected 12 ms/);
  });
});
