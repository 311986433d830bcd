/**
 * The relay core in a cluster, sans-I/O with a fake clock: what it asks of the bus (ClusterActions) and
 * what it does with what the bus answers (claims, members, events), read from its sink. The bus itself
 * is not here: the tests play it, so every rule is checked at the exact moment it applies.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Address } from '../../src/protocol/address.ts';
import type { ClusterAction } from '../../src/relay/cluster/actions.ts';
import { banMask, readBanMask } from '../../src/relay/cluster/moderation.ts';
import type { ClusterEvent, ClusterMember, NickClaim } from '../../src/relay/cluster-bus.ts';
import type { RelaySink } from '../../src/relay/output.ts';
import { Relay } from '../../src/relay/relay.ts';
import { ALICE, BOB, STRANGER } from '../support/relay-harness.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One relay of a cluster ("a"), with the bus played by the test. */
class ClusterHarness {
  readonly relay = new Relay({ clusterNode: 'a' }, 0);
  now = 0;
  sent: { to: Address; text: string }[] = [];
  actions: ClusterAction[] = [];
  private readonly sink: RelaySink = {
    transmit: (to, payload) => this.sent.push({ to, text: decoder.decode(payload) }),
    event: () => {},
    task: () => {},
    cluster: (action) => this.actions.push(action),
  };

  constructor() {
    this.relay.clusterStatusInto(this.now, true, this.sink);
  }

  send(from: Address, text: string): void {
    this.relay.handleInto(this.now, from, encoder.encode(text), this.sink);
  }

  claimed(id: number, claim: NickClaim): void {
    this.relay.clusterClaimedInto(this.now, id, claim, this.sink);
  }

  members(roomKey: string, members: ClusterMember[]): void {
    this.relay.clusterMembersInto(this.now, roomKey, members, this.sink);
  }

  event(event: ClusterEvent): void {
    this.relay.clusterEventInto(this.now, event, this.sink);
  }

  /** Joins `nick` from `from`, answering its claim with a win. */
  join(from: Address, nick: string): void {
    this.send(from, `/join ${nick}\n`);
    const claim = this.take('claim').at(-1);
    assert.ok(claim !== undefined && claim.type === 'claim', 'a join asks the cluster for the nick');
    this.claimed(claim.id, { ok: true, provisional: false });
  }

  /** The texts sent to `to` since the last call, and forgets them. */
  heard(to: Address): string[] {
    const mine = this.sent.filter((s) => s.to.port === to.port && s.to.host === to.host).map((s) => s.text);
    this.sent = this.sent.filter((s) => !(s.to.port === to.port && s.to.host === to.host));
    return mine;
  }

  take<T extends ClusterAction['type']>(type: T): Extract<ClusterAction, { type: T }>[] {
    const taken = this.actions.filter((a): a is Extract<ClusterAction, { type: T }> => a.type === type);
    this.actions = this.actions.filter((a) => a.type !== type);
    return taken;
  }
}

const bea: ClusterMember = { nickKey: 'bea', nick: 'bea', node: 'b' };

describe('the relay core in a cluster', () => {
  it('registers a nick only once the cluster granted it, and refuses it in the single relay’s words', () => {
    const h = new ClusterHarness();
    h.send(ALICE, '/join alice\n');
    assert.deepEqual(h.heard(ALICE), [], 'nothing before the answer');
    const [claim] = h.take('claim');
    assert.ok(claim !== undefined);
    h.claimed(claim.id, { ok: false, owner: 'b' });
    assert.deepEqual(h.heard(ALICE), ['*** nickname alice is already in use ***\n']);
    h.join(ALICE, 'alice');
    assert.deepEqual(h.heard(ALICE), ['*** welcome, alice ***\n']);
  });

  it('renames with /nick only once the cluster granted the new nick, and tells the cluster', () => {
    const h = new ClusterHarness();
    h.join(ALICE, 'alice');
    h.heard(ALICE);
    h.actions = [];
    h.send(ALICE, '/nick alicia\n');
    assert.deepEqual(h.heard(ALICE), [], 'nothing before the answer');
    const [claim] = h.take('claim');
    assert.ok(claim !== undefined);
    assert.equal(claim.nick, 'alicia');
    h.claimed(claim.id, { ok: false, owner: 'b' });
    assert.deepEqual(h.heard(ALICE), ['*** nickname alicia is already in use ***\n']);
    h.send(ALICE, '/nick alicia\n');
    const [again] = h.take('claim');
    assert.ok(again !== undefined);
    h.claimed(again.id, { ok: true, provisional: false });
    assert.deepEqual(h.heard(ALICE), ['*** you are now known as alicia ***\n']);
    const [rename] = h.actions;
    assert.deepEqual(
      rename,
      {
        type: 'room',
        roomKey: '#lobby',
        by: 'alice',
        change: { type: 'rename', nickKey: 'allce', nick: 'alice', newKey: 'allcla', newNick: 'alicia' },
      },
      'the rename is told before the leaves and joins',
    );
    assert.deepEqual(
      h.take('leave').map((a) => [a.roomKey, a.nickKey, a.reason]),
      [['#lobby', 'allce', 'part']],
    );
    assert.deepEqual(
      h.take('join').map((a) => [a.roomKey, a.nick]),
      [['#lobby', 'alicia']],
    );
    assert.deepEqual(
      h.take('release').map((a) => a.nickKey),
      ['allce'],
      'the old nick is free again',
    );
  });

  it('does not make the first local member of a room operator when another relay has members there', () => {
    const h = new ClusterHarness();
    h.join(ALICE, 'alice');
    h.event({ type: 'presence', node: 'b', roomKey: '#club', member: bea, joined: true, reason: 'join' });
    h.heard(ALICE);
    h.take('room');
    h.send(ALICE, '/join #club\n');
    assert.ok(h.heard(ALICE).includes('[#club] *** members: alice, bea ***\n'));
    assert.deepEqual(
      h.take('room').map((r) => r.change.type),
      [],
      'no operator announced',
    );
    h.send(ALICE, '/topic #club mine\n');
    assert.deepEqual(h.heard(ALICE), ['*** you are not an operator of #club ***\n']);
  });

  it('makes the first member of a new room operator only when the bus says it was first', () => {
    const h = new ClusterHarness();
    h.join(ALICE, 'alice');
    h.take('room');
    h.take('join');
    h.heard(ALICE);
    h.now = 1_000;
    h.send(ALICE, '/join #club\n');
    assert.ok(h.heard(ALICE).includes('[#club] *** members: alice ***\n'), 'not an operator yet');
    assert.deepEqual(h.take('room'), [], 'the relay announces no operator of its own');
    const [join] = h.take('join');
    assert.deepEqual([join?.roomKey, join?.nick, join?.firstOperator], ['#club', 'alice', true]);
    h.send(ALICE, '/topic #club early\n');
    assert.deepEqual(h.heard(ALICE), ['*** you are not an operator of #club ***\n']);
    // The bus's atomic join found no member anywhere: it announces alice as the operator, by herself.
    const first = { type: 'operator', nickKey: 'allce', nick: 'alice', on: true } as const;
    h.now = 1_020;
    h.event({ type: 'room', node: 'a', roomKey: '#club', by: 'alice', change: first });
    assert.deepEqual(h.heard(ALICE), ['[#club] *** alice is now an operator ***\n']);
    h.event({ type: 'room', node: 'a', roomKey: '#club', by: 'alice', change: first });
    assert.deepEqual(h.heard(ALICE), [], 'told once');
    h.send(ALICE, '/topic #club ours\n');
    assert.deepEqual(h.heard(ALICE), ['[#club] *** alice set the topic: ours ***\n']);
  });

  it('leaves the first member of a room plain when the bus made another relay’s member operator', () => {
    const h = new ClusterHarness();
    h.join(ALICE, 'alice');
    h.send(ALICE, '/join #club\n');
    h.heard(ALICE);
    // bea entered on relay b at the same moment and its join was applied first: hers is the operator.
    h.event({ type: 'presence', node: 'b', roomKey: '#club', member: bea, joined: true, reason: 'join' });
    const beaFirst = { type: 'operator', nickKey: 'bea', nick: 'bea', on: true } as const;
    h.event({ type: 'room', node: 'b', roomKey: '#club', by: 'bea', change: beaFirst });
    h.heard(ALICE);
    h.send(ALICE, '/topic #club mine\n');
    assert.deepEqual(h.heard(ALICE), ['*** you are not an operator of #club ***\n']);
  });

  it('sends a kick of another relay’s member to the bus only', () => {
    const h = new ClusterHarness();
    h.join(ALICE, 'alice');
    h.send(ALICE, '/join #club\n');
    const first = { type: 'operator', nickKey: 'allce', nick: 'alice', on: true } as const;
    h.event({ type: 'room', node: 'a', roomKey: '#club', by: 'alice', change: first });
    h.event({ type: 'presence', node: 'b', roomKey: '#club', member: bea, joined: true, reason: 'join' });
    h.heard(ALICE);
    h.take('room');
    h.send(ALICE, '/kick #club bea rude\n');
    assert.deepEqual(h.heard(ALICE), [], 'told when the kick comes back');
    const [kick] = h.take('room');
    assert.deepEqual(kick?.change, { type: 'kick', nickKey: 'bea', nick: 'bea', reason: 'rude' });
    assert.ok(kick !== undefined);
    h.event({ type: 'room', node: 'a', roomKey: '#club', by: 'alice', change: kick.change });
    assert.deepEqual(h.heard(ALICE), ['[#club] *** bea was kicked by alice (rude) ***\n']);
    // bea's relay then says she left the room: she is already gone here, so nothing more is said.
    h.event({ type: 'presence', node: 'b', roomKey: '#club', member: bea, joined: false, reason: 'kick' });
    assert.deepEqual(h.heard(ALICE), []);
  });

  it('lays the real ban when another relay bans a client it serves, and announces it', () => {
    const h = new ClusterHarness();
    h.join(ALICE, 'alice');
    h.join(BOB, 'bob');
    h.event({ type: 'presence', node: 'b', roomKey: '#club', member: bea, joined: true, reason: 'join' });
    h.send(BOB, '/join #club\n');
    h.heard(BOB);
    h.take('room');
    const request = banMask({ account: null, host: null, nickKey: 'bob', nick: 'bob' });
    h.event({
      type: 'room',
      node: 'b',
      roomKey: '#club',
      by: 'bea',
      change: { type: 'ban', mask: request, on: true },
    });
    assert.deepEqual(h.heard(BOB).slice(0, 2), [
      '[#club] *** bea banned bob ***\n',
      '[#club] *** bob was kicked by bea (banned) ***\n',
    ]);
    const [resolved] = h.take('room');
    assert.ok(resolved !== undefined && resolved.change.type === 'ban');
    assert.deepEqual(readBanMask(resolved.change.mask), {
      account: null,
      host: BOB.host,
      nickKey: 'bob',
      nick: 'bob',
    });
    h.send(BOB, '/join #club\n');
    assert.deepEqual(h.heard(BOB), ['*** you are banned from #club ***\n']);
  });

  it('takes the rooms’ state the bus read at hello: a room made later is banned, invite-only and has its topic', () => {
    const h = new ClusterHarness();
    const stranger = banMask({ account: null, host: STRANGER.host, nickKey: 'pest', nick: 'pest' });
    h.event({
      type: 'room-states',
      rooms: [
        {
          roomKey: '#den',
          topic: 'kept \u001b[31mred',
          inviteOnly: true,
          operators: [{ nickKey: 'olga', nick: 'olga' }],
          bans: [stranger, 'not a mask', banMask({ account: null, host: null, nickKey: 'x', nick: 'x' })],
          invited: ['allce'],
        },
        { roomKey: 'no-prefix', topic: 'ignored', inviteOnly: true, operators: [], bans: [], invited: [] },
      ],
    });
    h.join(STRANGER, 'pal');
    h.send(STRANGER, '/join #den\n');
    assert.ok(h.heard(STRANGER).includes('*** you are banned from #den ***\n'));
    h.join(BOB, 'bob');
    h.send(BOB, '/join #den\n');
    assert.ok(h.heard(BOB).includes('*** #den is invite-only ***\n'));
    h.join(ALICE, 'alice');
    h.heard(ALICE);
    h.send(ALICE, '/join #den\n');
    assert.ok(h.heard(ALICE).includes('[#den] *** members: alice ***\n'), 'invited, and not an operator');
    h.send(ALICE, '/topic #den\n');
    assert.deepEqual(h.heard(ALICE), ['[#den] *** topic: kept red ***\n']);
    h.send(ALICE, '/topic #den mine\n');
    assert.deepEqual(h.heard(ALICE), ['*** you are not an operator of #den ***\n']);
  });

  it('replaces its record with a later state, and adds to the rooms it has without undoing them', () => {
    const h = new ClusterHarness();
    h.join(ALICE, 'alice');
    h.send(ALICE, '/join #den\n');
    h.event({
      type: 'room',
      node: 'a',
      roomKey: '#den',
      by: 'alice',
      change: { type: 'operator', nickKey: 'allce', nick: 'alice', on: true },
    });
    h.send(ALICE, '/topic #den set here\n');
    h.heard(ALICE);
    const stranger = banMask({ account: null, host: STRANGER.host, nickKey: 'pest', nick: 'pest' });
    h.event({
      type: 'room-states',
      rooms: [
        { roomKey: '#den', topic: 'older', inviteOnly: false, operators: [], bans: [stranger], invited: [] },
        { roomKey: '#gone', topic: '', inviteOnly: false, operators: [], bans: [], invited: [] },
      ],
    });
    assert.deepEqual(h.heard(ALICE), [], 'taken silently');
    h.send(ALICE, '/topic #den\n');
    assert.deepEqual(h.heard(ALICE), ['[#den] *** topic: set here ***\n'], 'a change of its own stays');
    h.join(STRANGER, 'pal');
    h.send(STRANGER, '/join #den\n');
    assert.ok(h.heard(STRANGER).includes('*** you are banned from #den ***\n'), 'the cluster’s ban is added');
  });

  it('ejects the members a ban learnt at hello matches, and only those, telling the room once', () => {
    const h = new ClusterHarness();
    h.join(ALICE, 'alice');
    h.join(STRANGER, 'pal');
    h.send(ALICE, '/join #den\n');
    h.send(STRANGER, '/join #den\n');
    h.heard(ALICE);
    h.heard(STRANGER);
    h.take('leave');
    const pal = banMask({ account: null, host: STRANGER.host, nickKey: 'pal', nick: 'pal' });
    const state = { roomKey: '#den', topic: '', inviteOnly: false, operators: [], invited: [] };
    h.event({ type: 'room-states', rooms: [{ ...state, bans: [pal] }] });
    assert.deepEqual(h.heard(STRANGER), [
      '[#den] *** pal was kicked (banned) ***\n',
      '*** now talking in #lobby ***\n',
    ]);
    assert.deepEqual(h.heard(ALICE), ['[#den] *** pal was kicked (banned) ***\n']);
    assert.deepEqual(
      h.take('leave').map((a) => [a.roomKey, a.nickKey, a.reason]),
      [['#den', 'pal', 'kick']],
    );
    h.send(STRANGER, '/join #den\n');
    assert.deepEqual(h.heard(STRANGER), ['*** you are banned from #den ***\n']);
    // The same state read again (a reconnect): the ban is known, nobody is ejected twice.
    h.event({ type: 'room-states', rooms: [{ ...state, bans: [pal] }] });
    assert.deepEqual(h.heard(ALICE), []);
  });

  it('never trusts a room event: escape sequences are stripped and an unreadable ban is ignored', () => {
    const h = new ClusterHarness();
    h.join(ALICE, 'alice');
    h.send(ALICE, '/join #club\n');
    h.heard(ALICE);
    h.event({
      type: 'room',
      node: 'b',
      roomKey: '#club',
      by: 'bea',
      change: { type: 'topic', topic: 'hi\u001b[2Jthere' },
    });
    assert.deepEqual(h.heard(ALICE), ['[#club] *** bea set the topic: hithere ***\n']);
    h.event({
      type: 'room',
      node: 'b',
      roomKey: '#club',
      by: 'bea',
      change: { type: 'ban', mask: '{', on: true },
    });
    assert.deepEqual(h.heard(ALICE), []);
  });

  it('tells the cluster an idle eviction as a timeout, and says a member of another relay timed out', () => {
    const h = new ClusterHarness();
    h.join(ALICE, 'alice');
    h.event({ type: 'presence', node: 'b', roomKey: '#lobby', member: bea, joined: true, reason: 'join' });
    h.heard(ALICE);
    h.event({
      type: 'presence',
      node: 'b',
      roomKey: '#lobby',
      member: bea,
      joined: false,
      reason: 'timeout',
    });
    assert.deepEqual(h.heard(ALICE), ['*** bea timed out ***\n']);
    h.take('leave');
    h.take('release');
    h.now = 60_000;
    h.relay.tickInto(h.now, {
      transmit: () => {},
      event: () => {},
      task: () => {},
      cluster: (action) => h.actions.push(action),
    });
    assert.deepEqual(
      h.take('leave').map((a) => [a.roomKey, a.nickKey, a.reason]),
      [['#lobby', 'allce', 'timeout']],
    );
    assert.deepEqual(
      h.take('release').map((a) => a.nickKey),
      ['allce'],
    );
  });
});

describe('a member taken over by a resumption on another relay', () => {
  const ana: ClusterMember = { nickKey: 'ana', nick: 'ana', node: 'b' };

  it('is ours alone once it resumed here: the other relay’s entry goes, silently', () => {
    const h = new ClusterHarness();
    h.join(BOB, 'bob');
    h.event({ type: 'presence', node: 'b', roomKey: '#lobby', member: ana, joined: true, reason: 'join' });
    assert.deepEqual(h.heard(BOB), ['*** welcome, bob ***\n', '*** ana joined ***\n']);
    h.event({ type: 'nick-taken', node: 'a', nickKey: 'ana', nick: 'ana', from: 'b' });
    assert.deepEqual(h.heard(BOB), [], 'nobody left: nothing is said');
    h.send(BOB, '/who\n');
    const who = h.heard(BOB);
    assert.ok(!who.some((line) => line.includes('ana on relay b')), `no ghost of ana on b: ${who.join('')}`);
  });

  it('elsewhere it is known on its new relay, and its joins there are not news', () => {
    const h = new ClusterHarness();
    h.join(BOB, 'bob');
    h.event({ type: 'presence', node: 'b', roomKey: '#lobby', member: ana, joined: true, reason: 'join' });
    h.heard(BOB);
    h.event({ type: 'nick-taken', node: 'c', nickKey: 'ana', nick: 'ana', from: 'b' });
    h.event({
      type: 'presence',
      node: 'c',
      roomKey: '#lobby',
      member: { ...ana, node: 'c' },
      joined: true,
      reason: 'join',
    });
    assert.deepEqual(h.heard(BOB), [], 'no "ana joined": she never left');
    h.send(BOB, '/who\n');
    const who = h.heard(BOB).join('');
    assert.ok(who.includes('ana on relay c') && !who.includes('ana on relay b'), who);
  });
});

describe('a rename told over the bus', () => {
  const rename = (node: string, newNick: string, newKey: string): ClusterEvent => ({
    type: 'room',
    node,
    roomKey: '#lobby',
    by: 'bea',
    change: { type: 'rename', nickKey: 'bea', nick: 'bea', newKey, newNick },
  });

  it('tells our members who share a room with another relay’s member once; its leave and join say nothing', () => {
    const h = new ClusterHarness();
    h.join(ALICE, 'alice');
    h.send(ALICE, '/join #club\n');
    for (const roomKey of ['#lobby', '#club'])
      h.event({ type: 'presence', node: 'b', roomKey, member: bea, joined: true, reason: 'join' });
    h.heard(ALICE);
    h.event(rename('b', 'beatrix', 'beatrlx'));
    assert.deepEqual(h.heard(ALICE), ['*** bea is now known as beatrix ***\n']);
    const beatrix = { nickKey: 'beatrlx', nick: 'beatrix', node: 'b' };
    for (const roomKey of ['#lobby', '#club']) {
      h.event({ type: 'presence', node: 'b', roomKey, member: bea, joined: false, reason: 'part' });
      h.event({ type: 'presence', node: 'b', roomKey, member: beatrix, joined: true, reason: 'join' });
    }
    assert.deepEqual(h.heard(ALICE), [], 'the leaves and joins that follow are silent');
    h.send(ALICE, '/msg beatrix hi\n');
    assert.deepEqual(
      h.take('direct').map((a) => a.line.toNick),
      ['beatrix'],
      'known by the new nick',
    );
  });

  it('ignores its own echo, and a rename whose new nick does not fold to its key', () => {
    const h = new ClusterHarness();
    h.join(ALICE, 'alice');
    h.event({ type: 'presence', node: 'b', roomKey: '#lobby', member: bea, joined: true, reason: 'join' });
    h.heard(ALICE);
    h.event(rename('a', 'beatrix', 'beatrlx'));
    h.event(rename('b', 'beatrix', 'somebody-else'));
    h.event(rename('b', '\u001b[2J', ''));
    assert.deepEqual(h.heard(ALICE), []);
  });
});

describe('a server operator’s /kill told over the bus', () => {
  const kill = (node: string, nickKey: string, nick: string, reason: string): ClusterEvent => ({
    type: 'room',
    node,
    roomKey: '#lobby',
    by: 'root',
    change: { type: 'kill', nickKey, nick, reason },
  });

  it('disconnects our client when another relay killed it: told first, its sharers told, the cluster too', () => {
    const h = new ClusterHarness();
    h.join(ALICE, 'alice');
    h.join(BOB, 'bob');
    h.heard(ALICE);
    h.heard(BOB);
    h.actions = [];
    h.event(kill('b', 'bob', 'bob', 'spam'));
    assert.deepEqual(h.heard(BOB), ['*** you were killed by root (spam) ***\n']);
    assert.deepEqual(h.heard(ALICE), ['*** bob was killed (by root: spam) ***\n']);
    assert.deepEqual(
      h.take('leave').map((a) => [a.roomKey, a.nickKey, a.reason]),
      [['#lobby', 'bob', 'quit']],
    );
    assert.deepEqual(
      h.take('release').map((a) => a.nickKey),
      ['bob'],
    );
    h.send(BOB, 'still here?\n');
    assert.ok(!h.heard(ALICE).some((line) => line.includes('still here?')), 'bob is not a member any more');
  });

  it('ignores its own echo for a client of ours: the kill was done here, and the nick may be taken again', () => {
    const h = new ClusterHarness();
    h.join(ALICE, 'alice');
    h.join(BOB, 'bob');
    h.heard(ALICE);
    h.heard(BOB);
    h.event(kill('a', 'bob', 'bob', 'spam'));
    assert.deepEqual(h.heard(BOB), []);
    assert.deepEqual(h.heard(ALICE), []);
  });

  it('tells our members who shared a room with another relay’s victim once, and its leaves say nothing', () => {
    const h = new ClusterHarness();
    h.join(ALICE, 'alice');
    h.send(ALICE, '/join #club\n');
    for (const roomKey of ['#lobby', '#club'])
      h.event({ type: 'presence', node: 'b', roomKey, member: bea, joined: true, reason: 'join' });
    h.heard(ALICE);
    h.event(kill('c', 'bea', 'bea', 'flood\u001b[2J'));
    assert.deepEqual(h.heard(ALICE), ['*** bea was killed (by root: flood) ***\n']);
    for (const roomKey of ['#club', '#lobby'])
      h.event({ type: 'presence', node: 'b', roomKey, member: bea, joined: false, reason: 'quit' });
    assert.deepEqual(h.heard(ALICE), [], 'bea is already gone here');
    h.send(ALICE, '/who\n');
    assert.ok(!h.heard(ALICE).join('').includes('bea'), 'no ghost in /who');
  });

  it('drops a kill whose reason is nothing but controls, or that names nobody known', () => {
    const h = new ClusterHarness();
    h.join(ALICE, 'alice');
    h.heard(ALICE);
    h.event(kill('b', 'allce', 'alice', '\u001b[2J'));
    h.event(kill('b', 'zed', 'zed', 'x'));
    assert.deepEqual(h.heard(ALICE), []);
  });
});
