import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Address } from '../../src/protocol/address.ts';
import { lookalikeKey } from '../../src/protocol/lookalike.ts';
import { Relay } from '../../src/relay/relay.ts';
import { MemoryStore } from '../../src/store/memory/memory-store.ts';
import { ALICE, to } from '../support/relay-harness.ts';

// Each on a host of its own: an unregistered nick is banned by host (moderation/bans.ts).
const BOB: Address = { host: '127.0.0.2', port: 40002 };
const CAROL: Address = { host: '127.0.0.3', port: 40003 };

const encoder = new TextEncoder();
const ROOM = lookalikeKey('#den');

/** A relay "process" over a store that outlives it, as --db does. */
function relayOn(store: MemoryStore, keepRooms = true): (from: Address, line: string) => string[] {
  const relay = new Relay({ store, keepRooms }, 0);
  return (from, line) => to(relay.handle(0, from, encoder.encode(`${line}\n`)), from);
}

describe('kept rooms', () => {
  it('topic, invite-only, bans and operators are saved as they change', () => {
    const store = new MemoryStore();
    const say = relayOn(store);
    say(ALICE, '/join alice');
    say(BOB, '/join bob');
    say(CAROL, '/join carol');
    say(ALICE, '/join #den');
    say(BOB, '/join #den');
    say(ALICE, '/topic #den plans');
    say(ALICE, '/op #den bob');
    say(ALICE, '/ban #den carol');
    say(ALICE, '/mode #den +i');
    say(ALICE, '/invite dave #den');
    const kept = store.keptRoom(ROOM);
    assert.equal(kept?.topic, 'plans');
    assert.equal(kept?.inviteOnly, true);
    assert.deepEqual(
      kept?.bans.map((ban) => ban.nick),
      ['carol'],
    );
    assert.deepEqual(
      kept?.operators.map((op) => [op.nickKey, op.host]),
      [
        [lookalikeKey('alice'), '127.0.0.1'],
        [lookalikeKey('bob'), '127.0.0.2'],
      ],
    );
  });

  it('a restarted relay restores them: operators get their status back, the banned stay out', () => {
    const store = new MemoryStore();
    const before = relayOn(store);
    before(ALICE, '/join alice');
    before(BOB, '/join bob');
    before(ALICE, '/join #den');
    before(BOB, '/join #den');
    before(ALICE, '/topic #den plans');
    before(ALICE, '/ban #den bob');
    // The process dies here: nobody left, so alice is still the room's operator.
    const after = relayOn(store);
    after(BOB, '/join bob');
    assert.match(after(BOB, '/join #den').join(''), /banned/);
    after(CAROL, '/join carol');
    const carolJoin = after(CAROL, '/join #den').join('');
    assert.match(carolJoin, /topic.*plans/);
    assert.match(carolJoin, /members: carol\b/, 'first in, but the room remembers its operator');
    after(ALICE, '/join alice');
    assert.match(after(ALICE, '/join #den').join(''), /members: carol, @alice/);
    assert.match(after(ALICE, '/unban #den bob').join(''), /unbanned bob/);
    assert.deepEqual(store.keptRoom(ROOM)?.bans, []);
  });

  it('an invite-only room that is empty still refuses the uninvited', () => {
    const store = new MemoryStore();
    const before = relayOn(store);
    before(ALICE, '/join alice');
    before(ALICE, '/join #den');
    before(ALICE, '/mode #den +i');
    before(ALICE, '/part #den');
    const after = relayOn(store);
    after(BOB, '/join bob');
    assert.match(after(BOB, '/join #den').join(''), /invite/);
  });

  it('an operator who leaves is no longer one; a room with nothing left to keep is forgotten', () => {
    const store = new MemoryStore();
    const say = relayOn(store);
    say(ALICE, '/join alice');
    say(ALICE, '/join #den');
    assert.equal(store.keptRoom(ROOM)?.operators.length, 1);
    say(ALICE, '/part #den');
    assert.equal(store.keptRoom(ROOM), undefined);
  });

  it('without keepRooms an empty room is forgotten, topic and all, as it always was', () => {
    const store = new MemoryStore();
    const say = relayOn(store, false);
    say(ALICE, '/join alice');
    say(ALICE, '/join #den');
    say(ALICE, '/topic #den plans');
    say(ALICE, '/part #den');
    assert.equal(store.keptRoom(ROOM), undefined);
    assert.doesNotMatch(say(ALICE, '/join #den').join(''), /plans/);
  });
});
