/**
 * Several LanPeers in a simulated multicast group with loss, duplication and reordering (seeded): lines
 * arrive in order and once, every lost line is reported and no other, presence converges, and nick
 * collisions end the same way for everyone whatever the arrival order.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { LanEvent } from '../../src/lan/events.ts';
import { LanPeer } from '../../src/lan/lan-peer.ts';
import { checkLanNick } from '../../src/protocol/lan/lan-nick.ts';
import { REORDER_HOLD_MS, SENDER_TIMEOUT_MS } from '../../src/protocol/lan/limits.ts';
import { deterministicRandom } from '../protocol/v2/deterministic-random.ts';
import { EPOCH } from './lan-harness.ts';
import { NO_FAULTS, SimulatedGroup } from './lan-network.ts';

const CHAT_FAULTS = {
  loss: 0.2,
  duplicate: 0.1,
  maxDelayMs: 80,
  late: 0.03,
  lateDelayMs: REORDER_HOLD_MS + 300,
};

function lanPeer(nick: string, seed: number, claimedAt = EPOCH): LanPeer {
  return new LanPeer({ nick, claimedAt, key: null, random: deterministicRandom(`${seed}:${nick}`).random });
}

/** Lines `nick:0`, `nick:1`, ... from each member, at spaced random times; returns how many each sent. */
function scheduleChat(group: SimulatedGroup, seed: number, from: number, to: number): Map<string, number> {
  const sent = new Map<string, number>();
  const random = deterministicRandom(`chat ${seed}`).random;
  for (const member of group.members) {
    sent.set(member.peer.senderId, 0);
    for (let at = from + (random(1)[0] ?? 0); at < to; at += 250 + (random(1)[0] ?? 0)) {
      group.at(at, (now) => {
        const count = sent.get(member.peer.senderId) ?? 0;
        const output = member.peer.say(now, `${member.peer.nick}:${count}`);
        if (output.datagrams.length > 0) sent.set(member.peer.senderId, count + 1);
        group.output(member, output);
      });
    }
  }
  return sent;
}

function linesFrom(events: readonly LanEvent[], senderId: string): number[] {
  return events.flatMap((event) =>
    event.type === 'line' && event.id.senderId === senderId ? [Number(event.text.split(':')[1])] : [],
  );
}

function gapsFrom(events: readonly LanEvent[], senderId: string): number {
  return events.reduce(
    (sum, event) => sum + (event.type === 'gap' && event.senderId === senderId ? event.count : 0),
    0,
  );
}

function startAll(group: SimulatedGroup): void {
  group.members.forEach((member, index) => {
    group.at(index * 37, (now) => group.output(member, member.peer.start(now)));
  });
}

describe('a LAN chat over a lossy, duplicating, reordering network', () => {
  for (const seed of [1, 2, 3]) {
    it(`shows every line in order and once, and reports exactly the lost ones (seed ${seed})`, () => {
      const group = new SimulatedGroup(seed);
      for (const nick of ['alice', 'bob', 'carol', 'dave']) group.add(lanPeer(nick, seed));
      startAll(group);
      group.runUntil(3_000);
      group.faults = CHAT_FAULTS;
      const sent = scheduleChat(group, seed, 3_000, 20_000);
      group.runUntil(20_000);
      // Clean again: the next announcements tell every receiver how many lines it missed at the end.
      group.faults = NO_FAULTS;
      group.runUntil(32_000);

      let lost = 0;
      for (const receiver of group.members) {
        for (const sender of group.members) {
          if (sender === receiver) continue;
          const shown = linesFrom(receiver.events, sender.peer.senderId);
          const total = sent.get(sender.peer.senderId) ?? 0;
          assert.ok(total > 40, 'enough lines were sent');
          assert.deepEqual(
            shown,
            [...new Set(shown)].sort((a, b) => a - b),
            'in order, each once',
          );
          const gaps = gapsFrom(receiver.events, sender.peer.senderId);
          assert.equal(gaps + shown.length, total, `${receiver.peer.nick} from ${sender.peer.nick}`);
          lost += gaps;
        }
        assert.ok(
          receiver.events.every((event) => event.type !== 'timed-out'),
          'nobody timed out',
        );
        assert.equal(receiver.peer.who(group.now).length, 4, 'everyone present for everyone');
      }
      assert.ok(lost > 0, 'the network did lose lines');
      const duplicates = group.members.reduce((sum, member) => sum + member.peer.stats.duplicates, 0);
      assert.ok(duplicates > 0, 'the network did duplicate datagrams');
    });
  }

  it('converges on presence over loss: joins, then a leave, and a crashed peer timed out', () => {
    const group = new SimulatedGroup(7);
    const members = ['alice', 'bob', 'carol', 'dave'].map((nick) => group.add(lanPeer(nick, 7)));
    startAll(group);
    group.faults = { ...CHAT_FAULTS, loss: 0.1 };
    // Four announcements each by now: a sender is present once two of them got through.
    group.runUntil(17_000);
    for (const member of members) assert.equal(member.peer.who(group.now).length, 4);
    const [alice, bob, carol, dave] = members;
    assert.ok(alice && bob && carol && dave);
    group.faults = NO_FAULTS;
    group.at(17_000, (now) => group.output(bob, bob.peer.leave(now)));
    group.at(17_000, () => {
      carol.crashed = true;
    });
    group.runUntil(17_000 + SENDER_TIMEOUT_MS + 1_000);
    for (const member of [alice, dave]) {
      const names = member.peer.who(group.now).map((entry) => entry.shownAs);
      assert.deepEqual(names.sort(), ['alice', 'dave']);
      assert.ok(member.events.some((event) => event.type === 'left' && event.nick === 'bob'));
      assert.ok(member.events.some((event) => event.type === 'timed-out' && event.nick === 'carol'));
    }
  });
});

describe('nick collisions in a group', () => {
  it('end the same way for every peer, whatever the arrival order (property over seeds and claims)', () => {
    const nicks = fc.constantFrom('sam', 'Sam', 'ｓａｍ', 'sаm', 'kim');
    const members = fc.array(fc.record({ nick: nicks, claimedAt: fc.nat({ max: 3 }) }), {
      minLength: 2,
      maxLength: 5,
    });
    fc.assert(
      fc.property(fc.nat(), members, (seed, specs) => {
        const group = new SimulatedGroup(seed);
        group.faults = { loss: 0.1, duplicate: 0.1, maxDelayMs: 400, late: 0.05, lateDelayMs: 900 };
        const peers = specs.map((spec, index) =>
          group.add(lanPeer(spec.nick, seed * 10 + index, EPOCH + spec.claimedAt)),
        );
        peers.forEach((member, index) => {
          group.at((seed + index * 131) % 700, (now) => group.output(member, member.peer.start(now)));
        });
        group.runUntil(12_000);
        // Two lost announcements in a row can time a peer out; on a clean network it is back within one.
        group.faults = NO_FAULTS;
        group.runUntil(30_000);

        const views = peers.map(
          (member) =>
            new Map(member.peer.who(group.now).map((entry) => [entry.senderId, entry.shownAs] as const)),
        );
        const first = views[0];
        assert.ok(first);
        assert.equal(first.size, peers.length);
        for (const view of views) assert.deepEqual(view, first);
        // The winner of each look-alike key is its earliest claim, ties to the lowest sender id.
        const byKey = new Map<string, { peer: LanPeer; claimedAt: number }[]>();
        specs.forEach((spec, index) => {
          const peer = peers[index]?.peer;
          const check = checkLanNick(spec.nick);
          assert.ok(peer && check.ok);
          byKey.set(check.key, [...(byKey.get(check.key) ?? []), { peer, claimedAt: spec.claimedAt }]);
        });
        for (const claimants of byKey.values()) {
          const ranked = [...claimants].sort(
            (a, b) => a.claimedAt - b.claimedAt || (a.peer.senderId < b.peer.senderId ? -1 : 1),
          );
          for (const { peer } of claimants) {
            const shown = first.get(peer.senderId);
            if (peer === ranked[0]?.peer) assert.equal(shown, peer.nick);
            else assert.equal(shown, `${peer.nick}#${peer.senderId.slice(0, 4)}`);
            assert.equal(peer.shownAs, shown, 'each peer knows how the others show it');
          }
        }
      }),
      { numRuns: 25 },
    );
  });
});
