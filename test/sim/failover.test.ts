/**
 * Failover in simulated time: two real RelayServers that share a resumption key, on two hosts of the
 * memory network, and real ChatClients given both. The first relay is cut off as by kill -9 (every
 * datagram to or from its host is lost); the clients notice the stall, move to the second relay and
 * resume there with the same nick and rooms. A line the lost relay acknowledged is not said again; one it
 * had not acknowledged is said again once on the new relay; lines said during the move follow.
 *
 * Without a cluster bus the two relays share no rooms or history (that is the cluster's part, CLUSTER.md),
 * so what reached the first relay is checked on a listener there, and what reached the second on one there;
 * the gap fill from history is shown on a client that resumes on the relay it had lost (its ids are that
 * relay's; in a cluster they are the cluster's).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { deriveSeed } from '../../src/chaos/prng.ts';
import type { ChatEvent } from '../../src/client/events.ts';
import { MAX_HELD_LINES } from '../../src/client/failover.ts';
import { ChatClient, type ChatClientEvents } from '../../src/client-host/chat-client.ts';
import { RelayServer } from '../../src/relay-host/relay-server.ts';
import { INTERACTIVE_IDLE_PROBE_MS } from '../../src/session/liveness.ts';
import { seededBytes } from './chat-sim.ts';
import { memoryTransport, tableResolver } from './memory-link.ts';
import { MemoryTransport } from './memory-transport.ts';
import { SimClock } from './sim-clock.ts';
import { CLEAN_PATH, type PathProfile, SimNetwork } from './sim-network.ts';

const A = { host: '192.0.2.1', port: 7000 };
const B = { host: '192.0.2.2', port: 7000 };
const CUT: PathProfile = { ...CLEAN_PATH, loss: 1 };
const MAX_STEPS = 2_000_000;
const SHARED_KEY = new Uint8Array(32).fill(3);
const WALL_START = Date.UTC(2026, 0, 1);

interface Member {
  readonly nick: string;
  readonly client: ChatClient;
  /** `room text` of every chat line shown, in order. */
  readonly heard: string[];
  readonly moved: ChatClientEvents['moved'][];
  /** Simulated time of each `moved`. */
  readonly movedAt: number[];
  readonly notices: string[];
}

class FailoverSim {
  readonly time = new SimClock();
  readonly network: SimNetwork;
  readonly relays: RelayServer[];
  readonly members: Member[] = [];
  private readonly resolver = tableResolver(
    new Map([
      ['relay-a', A.host],
      ['relay-b', B.host],
    ]),
  );

  constructor(
    private readonly seed: number,
    keys: readonly [Uint8Array | null, Uint8Array | null] = [SHARED_KEY, SHARED_KEY],
  ) {
    this.network = new SimNetwork(this.time, deriveSeed(seed, 0));
    this.relays = [A, B].map((at, i) =>
      RelayServer.over(
        new MemoryTransport(this.network, at, true),
        // Each relay numbers its own lines: without a cluster, history ids mean nothing on the other.
        { relay: { resumptionKey: keys[i] ?? null, historyOnJoinV2: 0 } },
        {
          clock: this.time.clock,
          timers: this.time.timers,
          random: seededBytes(deriveSeed(seed, 1 + i)),
          // Ticket expiry is wall-clock time: the simulation's, so minutes pass as the clock runs.
          wallClock: () => WALL_START + this.time.now,
          runTask: (task, report) => this.time.after(0, () => report(task.id, false)),
        },
      ),
    );
  }

  async connect(nick: string, host: string, relays: readonly ('relay-a' | 'relay-b')[]): Promise<Member> {
    const [first = 'relay-a', ...rest] = relays;
    const client = await ChatClient.connect({
      nick,
      host: first,
      port: A.port,
      failover: rest.map((name) => ({ host: name, port: A.port })),
      protocol: 'v2',
      transport: memoryTransport(this.network, host, this.resolver),
      clock: this.time.clock,
      timers: this.time.timers,
      random: seededBytes(deriveSeed(this.seed, 10 + this.members.length)),
      v2: { idleProbeMs: INTERACTIVE_IDLE_PROBE_MS },
    });
    const member: Member = { nick, client, heard: [], moved: [], movedAt: [], notices: [] };
    client.on('notice', (e) => member.notices.push(e.text));
    client.on('chat', (e: ChatEvent) => member.heard.push(`${e.room ?? '#lobby'} ${e.nick}: ${e.text}`));
    client.on('moved', (e) => {
      member.moved.push(e);
      member.movedAt.push(this.time.now);
    });
    this.members.push(member);
    return member;
  }

  /**
   * Runs simulated time until `done` holds, in slices, letting promises settle between them (a move opens
   * its new link asynchronously). Bounded in simulated time; fails with `what` when it runs out.
   */
  async until(done: () => boolean, withinMs: number, what: string): Promise<void> {
    const end = this.time.now + withinMs;
    while (!done()) {
      if (this.time.now >= end) assert.fail(`${what}: not within ${withinMs} ms of simulated time`);
      this.time.advanceTo(Math.min(end, this.time.now + 20), MAX_STEPS);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async stop(): Promise<void> {
    for (const member of this.members) await member.client.close();
    for (const relay of this.relays) await relay.stop();
  }
}

/** The status bar names the relay being moved to. */
function movingNow(member: Member): boolean {
  return member.client.connection().movingTo !== undefined;
}

function joinedIn(member: Member, room: string): boolean {
  return member.client.state === 'joined' && member.client.rooms.rooms.includes(room);
}

describe('failover to another relay that shares the resumption key', () => {
  test('a relay cut off under traffic: its clients resume on the next one, no line lost or said twice', async (t) => {
    const sim = new FailoverSim(7);
    t.after(() => sim.stop());
    const alice = await sim.connect('alice', '198.51.100.1', ['relay-a', 'relay-b']);
    const bob = await sim.connect('bob', '198.51.100.2', ['relay-a', 'relay-b']);
    const carol = await sim.connect('carol', '198.51.100.3', ['relay-b']);
    await sim.until(() => sim.members.every((m) => m.client.state === 'joined'), 10_000, 'all welcomed');
    for (const member of sim.members) member.client.joinRoom('#ops');
    await sim.until(() => sim.members.every((m) => joinedIn(m, '#ops')), 5_000, 'all in #ops');
    // Give the tickets (asked after the room change) time to arrive.
    await sim.until(() => sim.time.now > 3_000, 5_000, 'tickets');

    const acked = new Set<number>();
    const ackedIds: number[] = [];
    alice.client.on('acked', (e) => {
      acked.add(e.id);
      ackedIds.push(e.id);
    });
    let ackedAtMove = new Set<number>();
    alice.client.on('moving', () => {
      ackedAtMove = new Set(acked);
    });
    const said: { text: string; id: number | undefined }[] = [];
    let ackedAtCut = new Set<number>();
    let cutAt = 0;
    for (let i = 1; i <= 40; i++) {
      const result = alice.client.say(`line ${i}`);
      assert.equal(result.ok, true);
      said.push({ text: `line ${i}`, id: result.ok ? result.id : undefined });
      if (i === 20) {
        sim.network.setProfile(A.host, CUT); // relay A dies: nothing reaches it or leaves it any more
        cutAt = sim.time.now;
        ackedAtCut = new Set(acked);
      }
      const next = sim.time.now + 300;
      await sim.until(() => sim.time.now >= next, 400, 'pace');
    }
    await sim.until(() => alice.moved.length === 1 && bob.moved.length === 1, 20_000, 'alice and bob moved');
    await sim.until(
      () => carol.heard.filter((l) => l.startsWith('#ops alice:')).length >= 20,
      10_000,
      `carol heard alice on relay B: ${JSON.stringify({ carol: carol.heard, moved: alice.moved, bob: bob.heard.length })}`,
    );

    for (const member of [alice, bob]) {
      const took = (member.movedAt[0] ?? Number.NaN) - cutAt;
      t.diagnostic(`${member.nick}: relay cut to resumed in ${took} ms of simulated time`);
      assert.ok(took <= 5_000, `${member.nick} resumed ${took} ms after the cut`);
      const [moved] = member.moved;
      assert.deepEqual(
        moved && { from: moved.from, to: moved.to, resumed: moved.resumed },
        { from: '192.0.2.1:7000', to: '192.0.2.2:7000', resumed: true },
        `${member.nick} resumed on B`,
      );
      assert.equal(member.client.nick, member.nick, 'the same nick');
      assert.ok(joinedIn(member, '#ops'), `${member.nick} is back in #ops`);
    }
    // Relay A had each acknowledged line and passed it to bob there; B got exactly the others, once.
    const onA = bob.heard
      .filter((l) => l.startsWith('#ops alice:'))
      .map((l) => l.slice('#ops alice: '.length));
    const onB = carol.heard
      .filter((l) => l.startsWith('#ops alice:'))
      .map((l) => l.slice('#ops alice: '.length));
    const ackedTexts = said.filter((s) => s.id !== undefined && ackedAtCut.has(s.id)).map((s) => s.text);
    assert.ok(ackedTexts.length >= 15, `most lines before the cut were acknowledged (${ackedTexts.length})`);
    for (const text of ackedTexts) assert.ok(onA.includes(text), `${text} reached bob on relay A`);
    assert.deepEqual(
      onB.filter((text) => ackedTexts.includes(text)),
      [],
      'no acknowledged line is said again on relay B',
    );
    assert.equal(new Set(onB).size, onB.length, 'nothing twice on relay B');
    const everywhere = new Set([...onA, ...onB]);
    assert.deepEqual(
      said.map((s) => s.text).filter((text) => !everywhere.has(text)),
      [],
      'every line reached a relay',
    );
    // Sent to relay A (ids of the first session) and never acknowledged: lines 20 on, until the stall.
    const unacked = said.filter((s) => s.id !== undefined && s.id < 2 ** 32 && !ackedAtMove.has(s.id));
    assert.ok(
      unacked.length >= 1 && unacked[0]?.text === 'line 20',
      'the line said at the cut was not acked',
    );
    assert.equal(alice.moved[0]?.resent, unacked.length, 'the unacknowledged lines were said again');
    for (const { text } of unacked) assert.ok(onB.includes(text), `${text} was said again on relay B`);
    // Said again under new carrier ids, they are acknowledged under the ids say() gave them, once.
    await sim.until(
      () => unacked.every((s) => s.id !== undefined && acked.has(s.id)),
      5_000,
      'the lines said again are acknowledged',
    );
    for (const { id } of unacked) assert.equal(ackedIds.filter((a) => a === id).length, 1, `${id} once`);

    // And after the move alice and bob talk on relay B.
    alice.client.say('after the move');
    await sim.until(() => bob.heard.includes('#ops alice: after the move'), 5_000, 'bob hears alice on B');
    assert.equal(carol.heard.filter((l) => l === '#ops alice: after the move').length, 1);
  });

  test('a relay that cannot open the ticket refuses it; the client joins there as usual', async (t) => {
    const sim = new FailoverSim(8, [SHARED_KEY, new Uint8Array(32).fill(4)]);
    t.after(() => sim.stop());
    const dave = await sim.connect('dave', '198.51.100.4', ['relay-a', 'relay-b']);
    await sim.until(() => dave.client.state === 'joined', 10_000, 'welcomed');
    dave.client.joinRoom('#ops');
    await sim.until(() => joinedIn(dave, '#ops') && sim.time.now > 2_000, 5_000, 'in #ops with a ticket');
    sim.network.setProfile(A.host, CUT);
    dave.client.say('anyone?');
    await sim.until(() => dave.moved.length === 1, 20_000, 'dave moved');
    assert.equal(dave.moved[0]?.resumed, false);
    assert.equal(dave.moved[0]?.refused, 'bad ticket');
    assert.equal(dave.client.nick, 'dave');
    await sim.until(() => joinedIn(dave, '#ops'), 5_000, 'dave rejoined #ops himself');
  });

  test('relays that offer no resumption: the client still moves, joins as a new session, rejoins its rooms', async (t) => {
    const sim = new FailoverSim(9, [null, null]);
    t.after(() => sim.stop());
    const erin = await sim.connect('erin', '198.51.100.5', ['relay-a', 'relay-b']);
    await sim.until(() => erin.client.state === 'joined', 10_000, 'welcomed');
    erin.client.joinRoom('#ops');
    await sim.until(() => joinedIn(erin, '#ops') && sim.time.now > 2_000, 5_000, 'in #ops');
    sim.network.setProfile(A.host, CUT);
    erin.client.say('still here?');
    await sim.until(
      () => erin.moved.length === 1 && joinedIn(erin, '#ops'),
      20_000,
      'erin moved and rejoined',
    );
    assert.deepEqual(
      erin.moved[0] && {
        resumed: erin.moved[0].resumed,
        refused: erin.moved[0].refused,
        resent: erin.moved[0].resent,
      },
      { resumed: false, refused: null, resent: 1 },
    );
    assert.equal(erin.client.nick, 'erin');
    // The relay's answer to the client's own /ticket is not the user's business.
    assert.deepEqual(
      erin.notices.filter((n) => n.includes('ticket')),
      [],
    );
  });

  test('a move without a ticket whose nick is still held there tries the join again until it is free', async (t) => {
    // As in a cluster whose lost relay still holds the nick until its heartbeat lapses: here another
    // client holds it on relay B, and leaves 6 s after the cut.
    const sim = new FailoverSim(21, [null, null]);
    t.after(() => sim.stop());
    const fay = await sim.connect('fay', '198.51.100.6', ['relay-a', 'relay-b']);
    const holder = await sim.connect('fay', '198.51.100.7', ['relay-b']);
    await sim.until(
      () => fay.client.state === 'joined' && holder.client.state === 'joined',
      10_000,
      'welcomed',
    );
    sim.network.setProfile(A.host, CUT);
    const cutAt = sim.time.now;
    fay.client.say('are you there?');
    await sim.until(() => sim.time.now >= cutAt + 6_000, 7_000, 'six seconds');
    assert.equal(fay.moved.length, 0, 'not moved while the nick is held');
    assert.notEqual(fay.client.state, 'refused', 'a held nick during a move does not end the session');
    await holder.client.leave();
    await sim.until(() => fay.moved.length === 1 && fay.client.state === 'joined', 10_000, 'fay joined on B');
    assert.equal(fay.client.nick, 'fay');
    assert.equal(fay.moved[0]?.resumed, false);
  });

  test('a nick held for longer than the retries last ends the move as any refusal does', async (t) => {
    const sim = new FailoverSim(22, [null, null]);
    t.after(() => sim.stop());
    const gus = await sim.connect('gus', '198.51.100.8', ['relay-a', 'relay-b']);
    const holder = await sim.connect('gus', '198.51.100.9', ['relay-b']);
    await sim.until(
      () => gus.client.state === 'joined' && holder.client.state === 'joined',
      10_000,
      'welcomed',
    );
    sim.network.setProfile(A.host, CUT);
    const cutAt = sim.time.now;
    await sim.until(() => gus.client.state === 'refused', 40_000, 'gus refused in the end');
    assert.ok(sim.time.now - cutAt >= 30_000, `the join was tried for 30 s (${sim.time.now - cutAt} ms)`);
  });

  test('when no relay of the list answers the client keeps trying, and resumes on the first one back', async (t) => {
    const sim = new FailoverSim(10);
    t.after(() => sim.stop());
    const fay = await sim.connect('fay', '198.51.100.6', ['relay-a', 'relay-b']);
    let failed = 0;
    fay.client.on('move-failed', () => failed++);
    await sim.until(() => fay.client.state === 'joined', 10_000, 'welcomed');
    fay.client.joinRoom('#ops');
    await sim.until(() => joinedIn(fay, '#ops') && sim.time.now > 2_000, 5_000, 'in #ops');
    sim.network.setProfile(A.host, CUT);
    sim.network.setProfile(B.host, CUT);
    fay.client.say('hello?');
    await sim.until(() => failed === 1, 20_000, 'every relay tried');
    assert.equal(fay.moved.length, 0);
    const status = fay.client.connection();
    assert.deepEqual(
      [status.state, status.movingTo],
      ['reconnecting', 'relay-b:7000'],
      'the status bar says where to',
    );
    // Relay A comes back (its network did; it still holds fay's old session): the next round resumes there.
    sim.network.setProfile(A.host, CLEAN_PATH);
    await sim.until(() => fay.moved.length === 1 && joinedIn(fay, '#ops'), 20_000, 'fay back on relay A');
    assert.deepEqual(
      fay.moved[0] && { from: fay.moved[0].from, to: fay.moved[0].to, resumed: fay.moved[0].resumed },
      { from: '192.0.2.1:7000', to: '192.0.2.1:7000', resumed: true },
    );
    const relayA = sim.relays[0];
    assert.equal(relayA?.clientCount, 1, 'the old session gave way: no ghost of fay on relay A');
  });

  test('a line said during a move has an id; the new relay acknowledges it under that id, once, in order', async (t) => {
    const sim = new FailoverSim(13);
    t.after(() => sim.stop());
    const jo = await sim.connect('jo', '198.51.100.10', ['relay-a', 'relay-b']);
    const kim = await sim.connect('kim', '198.51.100.11', ['relay-b']);
    await sim.until(() => jo.client.state === 'joined' && kim.client.state === 'joined', 10_000, 'welcomed');
    jo.client.joinRoom('#ops');
    kim.client.joinRoom('#ops');
    await sim.until(
      () => joinedIn(jo, '#ops') && joinedIn(kim, '#ops') && sim.time.now > 2_000,
      5_000,
      'in #ops',
    );
    const acked: number[] = [];
    jo.client.on('acked', (e) => acked.push(e.id));
    // Jo's own network goes, and relay A with it for good: the move can only end on relay B.
    sim.network.setProfile('198.51.100.10', CUT);
    sim.network.setProfile(A.host, CUT);
    jo.client.say('anyone?');
    await sim.until(() => movingNow(jo), 20_000, 'jo is moving');
    const ids: number[] = [];
    for (let i = 1; i <= 5; i++) {
      const result = jo.client.say(`held ${i}`);
      assert.ok(result.ok && typeof result.id === 'number', `held ${i} has an id: ${JSON.stringify(result)}`);
      ids.push(result.id);
    }
    assert.equal(new Set(ids).size, ids.length, 'ids are distinct');
    sim.network.setProfile('198.51.100.10', CLEAN_PATH);
    await sim.until(
      () => ids.every((id) => acked.includes(id)),
      40_000,
      `held lines acknowledged: ${JSON.stringify(acked)}`,
    );
    assert.equal(jo.moved[0]?.to, '192.0.2.2:7000');
    for (const id of ids) assert.equal(acked.filter((a) => a === id).length, 1, `${id} acknowledged once`);
    await sim.until(() => kim.heard.includes('#ops jo: held 5'), 5_000, 'kim heard them');
    assert.deepEqual(
      kim.heard.filter((l) => l.startsWith('#ops jo: held')),
      ['#ops jo: held 1', '#ops jo: held 2', '#ops jo: held 3', '#ops jo: held 4', '#ops jo: held 5'],
      'once each, in order',
    );
  });

  test('past the bound of lines waiting for a move, say() refuses the line with a clear error', async (t) => {
    const sim = new FailoverSim(14);
    t.after(() => sim.stop());
    const lee = await sim.connect('lee', '198.51.100.12', ['relay-a', 'relay-b']);
    await sim.until(() => lee.client.state === 'joined', 10_000, 'welcomed');
    sim.network.setProfile(A.host, CUT);
    sim.network.setProfile(B.host, CUT);
    lee.client.say('hello?');
    await sim.until(() => movingNow(lee), 20_000, 'lee is moving');
    for (let i = 1; i <= MAX_HELD_LINES; i++) {
      const result = lee.client.say(`line ${i}`);
      assert.equal(result.ok, true, `line ${i} is held`);
    }
    const refused = lee.client.say('one too many');
    assert.deepEqual(refused, {
      ok: false,
      error: {
        code: 'move-backlog',
        message: `${MAX_HELD_LINES} lines are waiting for the move to another relay; this one was not sent`,
      },
    });
    assert.equal(lee.client.say('and another').ok, false, 'still refused while the backlog is full');
  });

  test('a move with a backlog of 400 lines (150 unacknowledged, 250 said during the move) completes, every line once and in order', async (t) => {
    const sim = new FailoverSim(14);
    t.after(() => sim.stop());
    const kim = await sim.connect('kim', '198.51.100.11', ['relay-a', 'relay-b']);
    const lee = await sim.connect('lee', '198.51.100.12', ['relay-b']);
    await sim.until(() => kim.client.state === 'joined' && lee.client.state === 'joined', 10_000, 'welcomed');
    kim.client.joinRoom('#ops');
    lee.client.joinRoom('#ops');
    await sim.until(
      () => joinedIn(kim, '#ops') && joinedIn(lee, '#ops') && sim.time.now > 3_000,
      5_000,
      'in #ops',
    );
    sim.network.setProfile(A.host, CUT);
    sim.network.setProfile(B.host, CUT);
    let moving = false;
    kim.client.on('moving', () => {
      moving = true;
    });
    const texts = Array.from({ length: 400 }, (_, i) => `backlog ${i + 1}`);
    // Said at the cut, before the client notices: lines in flight to the lost relay, then held by the move.
    for (const text of texts.slice(0, 150)) assert.equal(kim.client.say(text).ok, true);
    await sim.until(() => moving, 20_000, 'moving');
    for (const text of texts.slice(150)) assert.equal(kim.client.say(text).ok, true);
    sim.network.setProfile(B.host, CLEAN_PATH);
    await sim.until(() => kim.moved.length === 1 && kim.client.state === 'joined', 30_000, 'kim moved');
    assert.deepEqual(kim.moved[0] && { resumed: kim.moved[0].resumed, resent: kim.moved[0].resent }, {
      resumed: true,
      resent: 150,
    });
    const heard = (): string[] =>
      lee.heard.filter((l) => l.startsWith('#ops kim: backlog')).map((l) => l.slice('#ops kim: '.length));
    // Paced under the relay's flood control (6 at once, then one per 400 ms): about 160 s for 400 lines.
    await sim.until(
      () => heard().length >= texts.length,
      200_000,
      `lee heard the backlog (${heard().length})`,
    );
    assert.deepEqual(heard(), texts, 'every line once, in order');
  });

  test('the ticket is refreshed before it expires: a move after 12 minutes still resumes', async (t) => {
    const sim = new FailoverSim(11);
    t.after(() => sim.stop());
    const gus = await sim.connect('gus', '198.51.100.7', ['relay-a', 'relay-b']);
    await sim.until(() => gus.client.state === 'joined', 10_000, 'welcomed');
    gus.client.joinRoom('#ops');
    await sim.until(() => joinedIn(gus, '#ops'), 5_000, 'in #ops');
    // Longer than a ticket's lifetime: only a refreshed ticket is still good (a busy loop would run out
    // of simulated steps here).
    const later = sim.time.now + 12 * 60_000;
    await sim.until(() => sim.time.now >= later, 13 * 60_000, 'twelve quiet minutes');
    sim.network.setProfile(A.host, CUT);
    gus.client.say('after a long while');
    await sim.until(() => gus.moved.length === 1, 20_000, 'gus moved');
    assert.equal(gus.moved[0]?.resumed, true, `refused: ${gus.moved[0]?.refused}`);
  });

  test('what was said while the client was away is filled from history after it resumes', async (t) => {
    const sim = new FailoverSim(12);
    t.after(() => sim.stop());
    const ida = await sim.connect('ida', '198.51.100.8', ['relay-a', 'relay-b']);
    const hal = await sim.connect('hal', '198.51.100.9', ['relay-a']);
    await sim.until(() => ida.client.state === 'joined' && hal.client.state === 'joined', 10_000, 'welcomed');
    ida.client.joinRoom('#ops');
    hal.client.joinRoom('#ops');
    await sim.until(() => joinedIn(ida, '#ops') && joinedIn(hal, '#ops'), 5_000, 'both in #ops');
    hal.client.say('before');
    await sim.until(
      () => ida.heard.includes('#ops hal: before') && sim.time.now > 2_000,
      5_000,
      'ida heard it',
    );
    const filled: string[] = [];
    ida.client.on('history', (e) => filled.push(`${e.room} ${e.nick}: ${e.text}`));
    let markers = 0;
    ida.client.on('gap-filled', () => markers++);

    // Ida's own network goes (every relay is out of her reach); hal goes on talking on relay A.
    sim.network.setProfile('198.51.100.8', CUT);
    ida.client.say('is anyone there?');
    for (const text of ['while you were away', 'and again']) {
      hal.client.say(text);
      const next = sim.time.now + 500;
      await sim.until(() => sim.time.now >= next, 1_000, 'pace');
    }
    let failed = 0;
    ida.client.on('move-failed', () => failed++);
    await sim.until(() => failed === 1, 20_000, 'no relay reachable');
    sim.network.setProfile('198.51.100.8', CLEAN_PATH);
    await sim.until(
      () => ida.moved.length === 1 && markers >= 1,
      20_000,
      `ida back: ${JSON.stringify(ida.moved)}`,
    );
    assert.equal(ida.moved[0]?.to, '192.0.2.1:7000', 'the round came back to relay A, which still had her');
    assert.equal(ida.moved[0]?.resumed, true);
    assert.deepEqual(
      filled,
      ['#ops hal: while you were away', '#ops hal: and again'],
      'the missed lines, once',
    );
    await sim.until(() => hal.heard.includes('#ops ida: is anyone there?'), 5_000, 'her unacknowledged line');
  });
});
