/** What a bracketed paste becomes, and how the frame shows the question and the nick-list pane. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ConnectionStatus } from '../../src/client/events.ts';
import { BufferList, ChatBuffer } from '../../src/tui/screen/buffers.ts';
import { InputLine } from '../../src/tui/screen/input-line.ts';
import { key } from '../../src/tui/screen/keys.ts';
import { LineView } from '../../src/tui/screen/line-view.ts';
import { NICK_PANE_COLUMNS, NICK_PANE_MIN_SCREEN } from '../../src/tui/screen/nick-pane.ts';
import { PASTE_ASK_ABOVE_LINES, pasteQuestion, planPaste } from '../../src/tui/screen/paste.ts';
import { PasteGate } from '../../src/tui/screen/paste-gate.ts';
import { Renderer } from '../../src/tui/screen/render.ts';
import { rowText } from '../../src/tui/screen/styled.ts';
import { DEFAULT_THEME } from '../../src/tui/screen/theme.ts';

describe('a paste', () => {
  test('one line is typed in at the cursor', () => {
    assert.deepEqual(planPaste('hello\tworld', 'say ', '!'), { kind: 'insert', text: 'hello world' });
  });

  test('three lines are sent as three lines, joined to the text around the cursor', () => {
    assert.deepEqual(planPaste('one\r\ntwo\nthree', 'so: ', ' (end)'), {
      kind: 'send',
      lines: ['so: one', 'two', 'three (end)'],
    });
  });

  test('blank lines and a trailing line break send nothing of their own', () => {
    assert.deepEqual(planPaste('a\n\n  \nb\n', '', ''), { kind: 'send', lines: ['a', 'b'] });
    assert.deepEqual(planPaste('\n\n', '', ''), { kind: 'insert', text: '' });
  });

  test(`more than ${PASTE_ASK_ABOVE_LINES} lines ask first`, () => {
    const plan = planPaste('1\n2\n3\n4', '', '');
    assert.deepEqual(plan, { kind: 'ask', lines: ['1', '2', '3', '4'] });
  });

  test('escape sequences in a pasted line are removed like any other text', () => {
    const plan = planPaste('red\x1b[31m\nbell\x07', '', '');
    assert.deepEqual(plan, { kind: 'send', lines: ['red', 'bell'] });
  });
});

function gate(refuseAfter = Number.POSITIVE_INFINITY) {
  const said: string[] = [];
  const notes: string[] = [];
  const input = new InputLine();
  const pastes = new PasteGate(input, {
    say: (line) => {
      if (said.length >= refuseAfter) return false;
      said.push(line);
      return true;
    },
    note: (text) => notes.push(text),
  });
  return { said, notes, input, pastes };
}

describe('the paste gate', () => {
  test('a short paste is said at once and empties the input it continued', () => {
    const { said, input, pastes } = gate();
    input.insert('look: ');
    pastes.paste('a\nb');
    assert.deepEqual(said, ['look: a', 'b']);
    assert.equal(input.text, '');
  });

  test('a long paste waits: other keys do nothing, Esc drops it, Enter sends the next one', () => {
    const { said, notes, pastes } = gate();
    pastes.paste('1\n2\n3\n4\n5');
    assert.equal(pastes.question, pasteQuestion(5));
    pastes.answer({ kind: 'text', text: 'x' });
    pastes.answer(key('left'));
    assert.equal(pastes.waiting, true);
    pastes.answer(key('escape'));
    assert.deepEqual([said, notes, pastes.waiting], [[], ['paste of 5 lines not sent'], false]);
    pastes.paste('6\n7\n8\n9');
    pastes.answer(key('enter'));
    assert.deepEqual(said, ['6', '7', '8', '9']);
    assert.equal(pastes.question, null);
  });

  test('a refused line stops the rest, and says how many were not sent', () => {
    const { said, notes, pastes } = gate(1);
    pastes.paste('a\nb\nc');
    assert.deepEqual([said, notes], [['a'], ['2 pasted lines not sent']]);
  });
});

const CONNECTED: ConnectionStatus = {
  state: 'joined',
  rttMs: 1,
  silentMs: 0,
  overdue: false,
  attempt: 1,
  nextAttemptInMs: null,
};

function frame(options: { columns: number; nickPane?: boolean; question?: string; members?: number }) {
  const room = new ChatBuffer('room', '#rust');
  for (let i = 0; i < (options.members ?? 3); i += 1) room.nicks.add(`nick${String(i).padStart(2, '0')}`);
  const buffers = new BufferList(room);
  const at = new Date(2024, 0, 2, 9, 30);
  buffers.add(room, { kind: 'chat', nick: 'bob', text: 'x'.repeat(200), own: false, mention: false }, at);
  const renderer = new Renderer(
    new LineView({ theme: DEFAULT_THEME, timestampFormat: '%H:%M' }),
    DEFAULT_THEME,
  );
  const status = {
    nick: 'alice',
    relay: '127.0.0.1:9999',
    connection: CONNECTED,
    protocol: 'v2',
    now: at,
  } as const;
  return renderer.render(
    {
      buffers,
      input: new InputLine(),
      status,
      nickPane: options.nickPane ?? false,
      question: options.question ?? null,
    },
    { columns: options.columns, rows: 10 },
  );
}

describe('the frame with a paste question and the nick-list pane', () => {
  test('the question takes the input line', () => {
    const rows = frame({ columns: 80, question: pasteQuestion(12) }).rows.map((r) => rowText(r).trimEnd());
    assert.equal(rows.at(-1), 'send 12 pasted lines? Enter: send them, Esc: cancel');
  });

  test('the pane lists the members beside the messages, which wrap in the columns left', () => {
    const shown = frame({ columns: 80, nickPane: true });
    const rows = shown.rows.map(rowText);
    assert.ok(rows.every((row) => row.length === 80));
    const pane = rows.slice(1, -2).map((row) => row.slice(80 - NICK_PANE_COLUMNS));
    assert.deepEqual(
      pane.slice(0, 4).map((cell) => cell.trimEnd()),
      ['│3 here', '│nick00', '│nick01', '│nick02'],
    );
    const hidden = frame({ columns: 80 }).rows.map(rowText);
    const messageRows = (list: string[]) => list.filter((row) => row.includes('xxx')).length;
    assert.ok(messageRows(rows) > messageRows(hidden), 'narrower messages take more rows');
  });

  test('more members than rows: the last row counts the rest', () => {
    const rows = frame({ columns: 80, nickPane: true, members: 30 }).rows.map(rowText);
    const pane = rows.slice(1, -2).map((row) => row.slice(80 - NICK_PANE_COLUMNS).trimEnd());
    assert.equal(pane.at(-1), '│+25 more');
    assert.equal(pane.length, 7);
  });

  test('a narrow screen keeps every column for the messages', () => {
    const rows = frame({ columns: NICK_PANE_MIN_SCREEN - 1, nickPane: true }).rows.map(rowText);
    assert.ok(!rows.some((row) => row.includes('│')));
  });
});
