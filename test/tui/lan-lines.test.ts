/** LAN events in the relay's wording, and what a typed line asks for on the LAN. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  gapText,
  lanEventLine,
  parseLanInput,
  unknownLanCommandText,
  whoLines,
} from '../../src/tui/lan-lines.ts';

const ID = { senderId: '0101010101010101', sequence: 3 };

describe('LAN events as lines', () => {
  it('reads as a relay would say it', () => {
    assert.equal(lanEventLine({ type: 'line', id: ID, nick: 'bob', text: 'hi' }), '<bob> hi');
    assert.equal(lanEventLine({ type: 'action', id: ID, nick: 'bob', text: 'waves' }), '* bob waves');
    assert.equal(lanEventLine({ type: 'joined', senderId: ID.senderId, nick: 'bob' }), '*** bob joined ***');
    assert.equal(lanEventLine({ type: 'left', senderId: ID.senderId, nick: 'bob' }), '*** bob left ***');
    assert.equal(
      lanEventLine({ type: 'timed-out', senderId: ID.senderId, nick: 'bob', silentMs: 15_000 }),
      '*** bob timed out ***',
    );
    assert.equal(
      lanEventLine({ type: 'gap', senderId: ID.senderId, nick: 'bob', count: 2 }),
      '*** 2 lines from bob lost ***',
    );
    assert.equal(gapText('bob', 1), '1 line from bob lost');
  });

  it('names the shown name of a collision loser, and says nothing of duplicates', () => {
    const line = lanEventLine({
      type: 'collision',
      senderId: ID.senderId,
      nick: 'bob',
      shownAs: 'bob#0101',
      from: 'bob',
      keptBy: '0202020202020202',
      self: false,
    });
    assert.match(line ?? '', /bob#0101/);
    assert.equal(lanEventLine({ type: 'duplicate', id: ID }), null);
  });

  it('lists /who with ourselves marked', () => {
    const lines = whoLines(
      '239.255.0.1:9999',
      [
        { senderId: 'a', nick: 'alice', shownAs: 'alice', self: true, lastHeardAt: 10_000, address: null },
        {
          senderId: 'b',
          nick: 'bob',
          shownAs: 'bob',
          self: false,
          lastHeardAt: 7_000,
          address: { host: '192.168.1.7', port: 9999 },
        },
      ],
      10_000,
    );
    assert.deepEqual(lines, [
      '*** 2 in 239.255.0.1:9999 ***',
      '*** alice (you) ***',
      '*** bob from 192.168.1.7, heard 3 s ago ***',
    ]);
  });
});

describe('typed lines on the LAN', () => {
  it('knows /me, /who, /quit, /leave and /help; // sends a leading slash', () => {
    assert.deepEqual(parseLanInput('hello'), { kind: 'say', text: 'hello' });
    assert.deepEqual(parseLanInput('//etc/hosts'), { kind: 'say', text: '/etc/hosts' });
    assert.deepEqual(parseLanInput('/me waves'), { kind: 'me', text: 'waves' });
    assert.deepEqual(parseLanInput('/WHO'), { kind: 'who' });
    assert.deepEqual(parseLanInput('/quit bye'), { kind: 'quit' });
    assert.deepEqual(parseLanInput('/leave'), { kind: 'quit' });
    assert.deepEqual(parseLanInput('/help'), { kind: 'help' });
    assert.deepEqual(parseLanInput('/join #x'), { kind: 'unknown', name: 'join' });
  });
});

describe('a /command the LAN does not have', () => {
  it("a relay's command says it needs a relay; any other is unknown", () => {
    for (const name of ['join', 'msg', 'nick', 'kick'])
      assert.match(unknownLanCommandText(name), new RegExp(`^/${name} needs a relay: the LAN has no rooms`));
    assert.equal(
      unknownLanCommandText('frobnicate'),
      'unknown command /frobnicate on the LAN (/help lists the commands)',
    );
  });
});
