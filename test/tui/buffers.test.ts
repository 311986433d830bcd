/** The buffer list: unread counts, mentions, the read marker, day changes and collapsed presence. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BufferList, ChatBuffer, MAX_BUFFER_LINES } from '../../src/tui/screen/buffers.ts';
import type { LineBody } from '../../src/tui/screen/lines.ts';
import { presenceText } from '../../src/tui/screen/presence.ts';

const AT = new Date(2024, 0, 2, 9, 30);

function chat(nick: string, text: string, mention = false, own = false): LineBody {
  return { kind: 'chat', nick, text, own, mention };
}

function list(): { buffers: BufferList; lobby: ChatBuffer; rust: ChatBuffer; bob: ChatBuffer } {
  const lobby = new ChatBuffer('room', '#lobby');
  const buffers = new BufferList(lobby);
  return { buffers, lobby, rust: buffers.ensure('room', '#rust'), bob: buffers.ensure('dm', 'bob') };
}

describe('unread and mentions', () => {
  test('messages in another buffer count as unread; in the focused one they do not', () => {
    const { buffers, lobby, rust } = list();
    buffers.add(rust, chat('bob', 'hi'), AT);
    buffers.add(rust, chat('carol', 'yo'), AT);
    buffers.add(lobby, chat('bob', 'here'), AT);
    assert.equal(rust.unread, 2);
    assert.equal(lobby.unread, 0);
  });

  test('a mention marks the buffer; notices are activity, not unread; our own lines are nothing', () => {
    const { buffers, rust, bob } = list();
    buffers.add(rust, chat('bob', 'alice: look', true), AT);
    buffers.add(rust, { kind: 'notice', text: 'topic: x' }, AT);
    buffers.add(bob, chat('alice', 'sent from elsewhere', false, true), AT);
    assert.deepEqual([rust.unread, rust.mention, rust.activity], [1, true, true]);
    assert.deepEqual([bob.unread, bob.mention, bob.activity], [0, false, false]);
  });

  test('focusing a buffer clears its counts; the most active is the one that mentioned us', () => {
    const { buffers, rust, bob } = list();
    buffers.add(rust, chat('x', 'a'), AT);
    buffers.add(bob, chat('bob', 'psst', true), AT);
    assert.equal(buffers.mostActive(), bob);
    buffers.focus(bob);
    assert.deepEqual([bob.unread, bob.mention], [0, false]);
    assert.equal(buffers.mostActive(), rust);
  });
});

describe('switching', () => {
  test('Alt-<n> numbers, cycling wraps around, names are case-insensitive', () => {
    const { buffers, lobby, rust, bob } = list();
    assert.equal(buffers.focusNumber(3), true);
    assert.equal(buffers.focused, bob);
    assert.equal(buffers.focusNumber(9), false);
    buffers.cycle(1);
    assert.equal(buffers.focused, lobby);
    buffers.cycle(-1);
    assert.equal(buffers.focused, bob);
    assert.equal(buffers.find('room', '#RUST'), rust);
    assert.equal(buffers.numberOf(rust), 2);
  });

  test('closing the focused buffer focuses its left neighbour; the last buffer stays', () => {
    const { buffers, lobby, rust } = list();
    buffers.focus(rust);
    assert.equal(buffers.close(rust), true);
    assert.equal(buffers.focused, lobby);
    const only = new BufferList(new ChatBuffer('room', '#lobby'));
    assert.equal(only.close(only.focused), false);
  });
});

describe('read marker', () => {
  test('leaving a buffer marks its last line; lines that come later are after the marker', () => {
    const { buffers, lobby, rust } = list();
    buffers.add(lobby, chat('bob', 'seen'), AT);
    buffers.focus(rust);
    assert.equal(lobby.readMarker, lobby.lines.at(-1)?.seq);
    buffers.add(lobby, chat('bob', 'new'), AT);
    const marker = lobby.readMarker ?? -1;
    assert.deepEqual(
      lobby.lines
        .filter((line) => line.seq > marker)
        .map((line) => (line.body.kind === 'chat' ? line.body.text : '')),
      ['new'],
    );
  });

  test('a presence line already seen is not extended: news starts a new line after the marker', () => {
    const { buffers, lobby, rust } = list();
    buffers.addPresence(lobby, { kind: 'joined', nick: 'bob' }, AT);
    buffers.focus(rust);
    buffers.addPresence(lobby, { kind: 'joined', nick: 'carol' }, AT);
    assert.equal(lobby.lines.length, 2);
  });
});

describe('lines', () => {
  test('a line on a new day is preceded by a day-changed line', () => {
    const { buffers, lobby } = list();
    buffers.add(lobby, chat('bob', 'late'), new Date(2024, 0, 2, 23, 59));
    buffers.add(lobby, chat('bob', 'early'), new Date(2024, 0, 3, 0, 1));
    assert.deepEqual(
      lobby.lines.map((line) => line.body.kind),
      ['chat', 'day', 'chat'],
    );
  });

  test('joins, parts and quits in a row collapse into one line', () => {
    const { buffers, lobby } = list();
    buffers.addPresence(lobby, { kind: 'joined', nick: 'bob' }, AT);
    buffers.addPresence(lobby, { kind: 'joined', nick: 'carol' }, AT);
    buffers.addPresence(lobby, { kind: 'left', nick: 'dave', reason: 'bye' }, AT);
    buffers.addPresence(lobby, { kind: 'quit', nick: 'erin', reason: '' }, AT);
    buffers.addPresence(lobby, { kind: 'renamed', nick: 'frank', to: 'frankie' }, AT);
    assert.equal(lobby.lines.length, 1);
    const body = lobby.lines[0]?.body;
    assert.equal(body?.kind, 'presence');
    if (body?.kind === 'presence')
      assert.equal(
        presenceText(body.items),
        'bob, carol joined · dave left (bye) · erin quit · frank is now known as frankie',
      );
    buffers.add(lobby, chat('bob', 'hi'), AT);
    buffers.addPresence(lobby, { kind: 'joined', nick: 'gil' }, AT);
    assert.equal(lobby.lines.length, 3, 'a message ends the run');
  });

  test('a buffer keeps at most MAX_BUFFER_LINES lines, dropping the oldest', () => {
    const { buffers, lobby } = list();
    for (let i = 0; i < MAX_BUFFER_LINES + 5; i += 1) buffers.add(lobby, chat('bob', String(i)), AT);
    assert.equal(lobby.lines.length, MAX_BUFFER_LINES);
    const first = lobby.lines[0]?.body;
    assert.equal(first?.kind === 'chat' ? first.text : '', '5');
  });

  test('/clear empties a buffer and forgets its marker', () => {
    const { buffers, lobby } = list();
    buffers.add(lobby, chat('bob', 'x'), AT);
    lobby.readMarker = 1;
    buffers.clear(lobby);
    assert.deepEqual([lobby.lines.length, lobby.readMarker], [0, null]);
  });
});
