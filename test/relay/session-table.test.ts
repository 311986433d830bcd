import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Address } from '../../src/protocol/address.ts';
import type { SessionPeer } from '../../src/relay/peer.ts';
import type { Session } from '../../src/relay/session.ts';
import { REBASE_AFTER_MS } from '../../src/relay/session-clock.ts';
import { SessionTable } from '../../src/relay/session-table.ts';
import { Harness } from '../support/relay-harness.ts';

function join(table: SessionTable, address: Address, nick: string, now = 0): Session {
  return table.add({ address, nick, nickKey: nick, account: null, serverOperator: false }, now);
}

/** Every stamp a session stores stays a small integer (see session-clock.ts). */
function assertSmallStamps(session: Session): void {
  for (const stamp of [session.seenStamp, session.activeStamp, session.markStamp, session.pingStamp ?? 0]) {
    assert.ok(Number.isInteger(stamp) && Math.abs(stamp) <= 2 ** 30, `stamp ${stamp}`);
  }
}

describe('the session table', () => {
  it('finds a v1 client by any address object with its host and port, and no other', () => {
    const table = new SessionTable();
    const alice = join(table, { host: '127.0.0.1', port: 5000 }, 'alice');
    const bob = join(table, { host: '::1', port: 5000 }, 'bob');
    assert.equal(table.get({ host: '127.0.0.1', port: 5000 }), alice);
    assert.equal(table.get({ host: '::1', port: 5000 }), bob);
    assert.equal(table.get({ host: '127.0.0.1', port: 5001 }), undefined);
    assert.equal(table.get({ host: '127.0.0.2', port: 5000 }), undefined);
  });

  it('finds a v2 client by its session key wherever its address moves', () => {
    const table = new SessionTable();
    const peer: SessionPeer & { port: number } = { sessionKey: 's:1', host: '127.0.0.1', port: 5000 };
    const carol = join(table, peer, 'carol');
    peer.port = 6000;
    assert.equal(table.get(peer), carol);
    assert.equal(table.get({ host: '127.0.0.1', port: 5000 }), undefined, 'a v2 session is not its address');
  });

  it('counts clients per host and forgets a host when its last client leaves', () => {
    const table = new SessionTable();
    const a = join(table, { host: '127.0.0.1', port: 1 }, 'a');
    const b = join(table, { host: '127.0.0.1', port: 2 }, 'b');
    assert.equal(table.countFromHost('127.0.0.1'), 2);
    assert.equal(table.remove(a), true);
    assert.equal(table.remove(a), false, 'removed once only');
    assert.equal(table.remove(b), true);
    assert.equal(table.countFromHost('127.0.0.1'), 0);
    assert.equal(table.size, 0);
    assert.equal(table.get({ host: '127.0.0.1', port: 2 }), undefined);
  });

  it('keeps its own copy of a v1 address, equal to the one the client joined from', () => {
    const table = new SessionTable();
    const from = { host: '127.0.0.1', port: 5000 };
    const alice = join(table, from, 'alice');
    assert.deepEqual(alice.address, from);
  });

  it('reads back the times it was given, to the millisecond', () => {
    const table = new SessionTable();
    const alice = join(table, { host: '127.0.0.1', port: 1 }, 'alice', 1_000.75);
    table.touch(alice, 2_500.5);
    alice.lastActive = 2_600;
    alice.lastPingSentAt = 2_700.25;
    assert.equal(alice.lastSeen, 2_500);
    assert.equal(alice.lastActive, 2_600);
    assert.equal(alice.lastPingSentAt, 2_700);
    assert.equal(join(table, { host: '127.0.0.1', port: 2 }, 'bob').lastPingSentAt, Number.NEGATIVE_INFINITY);
  });

  it('keeps times exact and stamps small over months of uptime', () => {
    const table = new SessionTable();
    const start = 1_700_000_000_000; // a clock that does not start at zero
    const quiet = join(table, { host: '127.0.0.1', port: 1 }, 'quiet', start);
    const busy = join(table, { host: '127.0.0.1', port: 2 }, 'busy', start);
    quiet.lastPingSentAt = start + 5;
    let now = start;
    for (let day = 1; day <= 90; day++) {
      now = start + day * 86_400_000;
      table.advance(now);
      table.touch(busy, now);
      busy.lastActive = now;
      assertSmallStamps(busy);
    }
    assert.equal(busy.lastSeen, now);
    assert.equal(busy.lastActive, now);
    assert.equal(quiet.lastSeen, start, 'a session silent for 90 days keeps its exact time');
    assert.equal(quiet.lastPingSentAt, start + 5);
    assert.deepEqual([...table.silentSince(now - 1)], [quiet]);
    assert.ok(REBASE_AFTER_MS < 90 * 86_400_000, 'the clock was rebased along the way');
  });

  it('finds exactly the silent sessions across rebases of its clock', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ who: fc.nat(9), dt: fc.nat(REBASE_AFTER_MS) }), { maxLength: 60 }),
        fc.nat(2 * REBASE_AFTER_MS),
        (touches, back) => {
          const table = new SessionTable();
          const list = Array.from({ length: 10 }, (_, i) =>
            join(table, { host: '10.0.0.1', port: i + 1 }, `n${i}`),
          );
          let now = 0;
          for (const { who, dt } of touches) {
            now += dt;
            table.touch(list[who] as Session, now);
          }
          const cutoff = now - back;
          const expected = list.filter((s) => s.lastSeen < cutoff).map((s) => s.nick);
          assert.deepEqual([...table.silentSince(cutoff)].map((s) => s.nick).sort(), expected.sort());
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('what a session keeps only when it needs it', () => {
  it('the away message, account and operator flag read as unset until set', () => {
    const table = new SessionTable();
    const alice = join(table, { host: '127.0.0.1', port: 1 }, 'alice');
    assert.equal(alice.away, null);
    assert.equal(alice.account, null);
    assert.equal(alice.serverOperator, false);
    assert.equal(alice.lastThrottleNoticeAt, Number.NEGATIVE_INFINITY);
    alice.away = '';
    assert.equal(alice.away, '', 'an empty away message is still away');
    alice.away = null;
    assert.equal(alice.away, null);
    const op = table.add(
      {
        address: { host: '127.0.0.1', port: 2 },
        nick: 'op',
        nickKey: 'op',
        account: 'op',
        serverOperator: true,
      },
      0,
    );
    assert.equal(op.account, 'op');
    assert.equal(op.serverOperator, true);
  });

  it('a client that only pings never gets a flood-control bucket; one that talks does', () => {
    const h = new Harness();
    const alice = { host: '127.0.0.1', port: 40001 };
    const bob = { host: '127.0.0.1', port: 40002 };
    h.join(alice, 'alice');
    h.join(bob, 'bob');
    h.send(alice, '/ping\n');
    h.send(bob, 'hello\n');
    assert.equal(h.relay.sessions.get(alice)?.lines, undefined);
    assert.notEqual(h.relay.sessions.get(bob)?.lines, undefined);
  });
});
