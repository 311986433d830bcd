/**
 * What test/e2e/v2-lossy.test.ts checks in wall time, here in simulated time on one fake clock: the real
 * relay (RelayServer.over a MemoryTransport) and real ChatClients (over memory links) through 10% loss,
 * 5% duplication, 5% reordering and 20±10 ms delay each way. v2 loses, repeats and reorders nothing; v1
 * clients share the room; a client that moves to a new port mid-conversation keeps its nick and every
 * line; and the same seed replays the same run, datagram for datagram.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ChatSim, type SimClient } from './chat-sim.ts';
import type { PathProfile } from './sim-network.ts';

const LINES = 1_000;
/** As in the end-to-end test: 125 lines a second from each sender, well inside v2's window. */
const INTERVAL_MS = 8;
const LOSSY: PathProfile = { loss: 0.1, duplicate: 0.05, reorder: 0.05, delayMs: 20, jitterMs: 10 };
const CLEAN: PathProfile = { loss: 0, duplicate: 0, reorder: 0, delayMs: 5, jitterMs: 0 };
const MAX_STEPS = 5_000_000;

function ids(letter: string, count = LINES, first = 0): string[] {
  return Array.from({ length: count }, (_, i) => `${letter}-${String(first + i).padStart(4, '0')}`);
}

/** Each sender says its lines, one every INTERVAL_MS from now, on the simulated clock. */
function feed(sim: ChatSim, senders: readonly SimClient[], count = LINES, first = 0): void {
  const start = sim.time.now;
  for (let i = 0; i < count; i++) {
    sim.time.at(start + i * INTERVAL_MS, () => {
      for (const sender of senders) {
        const result = sender.client.say(ids(sender.nick[0] ?? '?', 1, first + i)[0] ?? '');
        if (!result.ok) throw new Error(`${sender.nick} could not say line ${i}: ${result.error.message}`);
      }
    });
  }
}

/** Runs until `receiver` has heard `count` lines from each of `senders`. */
function runUntilHeard(
  sim: ChatSim,
  receivers: readonly SimClient[],
  senders: readonly string[],
  count: number,
) {
  sim.time.run({
    until: () => receivers.every((r) => senders.every((s) => r.from(s).length >= count)),
    maxTimeMs: sim.time.now + 120_000,
    maxSteps: MAX_STEPS,
    describe: () =>
      receivers
        .map((r) => `${r.nick} heard ${senders.map((s) => `${r.from(s).length} from ${s}`)}`)
        .join('; '),
  });
}

interface LossyRun {
  readonly sim: ChatSim;
  readonly alice: SimClient;
  readonly bob: SimClient;
  readonly carol: SimClient;
  readonly dave: SimClient;
  readonly cpuMs: number;
}

/**
 * alice and bob speak v2 across the lossy paths; carol is a v1 client on a clean path and dave a v1
 * client on a lossy one, all in the lobby. Runs until alice and bob have each other's 1,000 lines and
 * carol has both sets, then lets the stragglers settle.
 */
async function lossyRun(seed: number): Promise<LossyRun> {
  const cpu = process.cpuUsage();
  const sim = new ChatSim(seed, { relay: { lineRate: 0 } });
  const alice = await sim.connect('alice', { host: '198.51.100.1', protocol: 'v2', profile: LOSSY });
  const bob = await sim.connect('bob', { host: '198.51.100.2', protocol: 'v2', profile: LOSSY });
  const carol = await sim.connect('carol', { host: '198.51.100.3', protocol: 'v1', profile: CLEAN });
  const dave = await sim.connect('dave', { host: '198.51.100.4', protocol: 'v1', profile: LOSSY });
  sim.welcomeAll();
  feed(sim, [alice, bob]);
  runUntilHeard(sim, [alice], ['bob'], LINES);
  runUntilHeard(sim, [bob], ['alice'], LINES);
  runUntilHeard(sim, [carol], ['alice', 'bob'], LINES);
  // Whatever is still in flight (a late duplicate, a retransmission) must change nothing.
  sim.time.advanceTo(sim.time.now + 5_000, MAX_STEPS);
  const used = process.cpuUsage(cpu);
  return { sim, alice, bob, carol, dave, cpuMs: (used.user + used.system) / 1_000 };
}

describe('the relay and its clients in simulated time', () => {
  test('v2: 1,000 lines each way through 10% loss, 5% dup, 5% reorder, 20±10 ms: none lost, none twice, in order', async (t) => {
    const run = await lossyRun(7);
    t.after(() => run.sim.stop());
    assert.equal(run.alice.client.protocol, 'v2');
    assert.equal(run.bob.client.protocol, 'v2');
    assert.deepEqual(run.bob.from('alice'), ids('a'), 'bob heard every line of alice once, in order');
    assert.deepEqual(run.alice.from('bob'), ids('b'), 'alice heard every line of bob once, in order');
    const counts = run.sim.network.counts;
    assert.ok(counts.lost > 0 && counts.duplicated > 0 && counts.reordered > 0, JSON.stringify(counts));
    const simulatedS = run.sim.time.now / 1_000;
    t.diagnostic(
      `${simulatedS.toFixed(1)} s simulated in ${run.cpuMs.toFixed(0)} ms of CPU ` +
        `(${(run.cpuMs / simulatedS).toFixed(1)} ms per simulated second), ${run.sim.time.steps} events; ` +
        `network ${JSON.stringify(counts)}`,
    );
  });

  test('v1 clients share the room: a clean path hears everything in order, a lossy one loses lines', async (t) => {
    const run = await lossyRun(7);
    t.after(() => run.sim.stop());
    assert.equal(run.carol.client.protocol, 'v1');
    assert.deepEqual(run.carol.from('alice'), ids('a'), 'carol (v1, clean path) heard all of alice');
    assert.deepEqual(run.carol.from('bob'), ids('b'), 'carol (v1, clean path) heard all of bob');
    const daveHeard = run.dave.from('alice').length + run.dave.from('bob').length;
    assert.ok(
      daveHeard < 2 * LINES,
      `dave (v1, lossy path) heard ${daveHeard} of ${2 * LINES}: v1 has no retransmission`,
    );
    assert.ok(daveHeard > LINES, `dave still heard most lines (${daveHeard})`);
    // And the other way: a v1 line reaches the v2 clients, who get it reliably from the relay.
    run.carol.client.say('hello from v1');
    runUntilHeard(run.sim, [run.alice, run.bob], ['carol'], 1);
    assert.deepEqual(run.alice.from('carol'), ['hello from v1']);
    assert.deepEqual(run.bob.from('carol'), ['hello from v1']);
  });

  test('a v2 client that moves to a new port mid-conversation keeps its nick and loses no line', async (t) => {
    const sim = new ChatSim(11, { relay: { lineRate: 0 } });
    t.after(() => sim.stop());
    const alice = await sim.connect('alice', { host: '198.51.100.1', protocol: 'v2', profile: LOSSY });
    const bob = await sim.connect('bob', { host: '198.51.100.2', protocol: 'v2', profile: LOSSY });
    sim.welcomeAll();
    // bob may be welcomed first: the relay's notice of alice's join is then still on its way to him.
    sim.time.run({
      until: () => bob.notices.includes('alice joined'),
      maxTimeMs: 30_000,
      maxSteps: MAX_STEPS,
    });
    const before = alice.client.local;
    const noticesBefore = bob.notices.length;
    feed(sim, [alice, bob], 200);
    // Halfway through, alice's NAT rebinds: her next datagram comes from a new port.
    sim.time.after(100 * INTERVAL_MS, () => void alice.client.rebind());
    runUntilHeard(sim, [bob], ['alice'], 200);
    runUntilHeard(sim, [alice], ['bob'], 200);
    assert.notEqual(alice.client.local.port, before.port, 'alice moved to a new port');
    assert.deepEqual(bob.from('alice'), ids('a', 200));
    assert.deepEqual(alice.from('bob'), ids('b', 200));
    assert.ok(
      !bob.notices.slice(noticesBefore).some((text) => /alice (left|joined|timed out)/.test(text)),
      `no ghost and no rejoin: ${bob.notices.slice(noticesBefore).join(' | ')}`,
    );
    assert.equal(sim.relay.clientCount, 2);
    assert.equal(sim.relay.vitals().v2.migrations, 1, 'the relay validated the new path once');
  });

  test('the same seed replays the same run; another seed makes another network, with the same result', async (t) => {
    const first = await lossyRun(7);
    t.after(() => first.sim.stop());
    const again = await lossyRun(7);
    t.after(() => again.sim.stop());
    const other = await lossyRun(8);
    t.after(() => other.sim.stop());
    const trace = (run: LossyRun): unknown => ({
      now: run.sim.time.now,
      steps: run.sim.time.steps,
      counts: run.sim.network.counts,
      heard: run.sim.clients.map((c) => c.heard),
    });
    assert.deepEqual(trace(again), trace(first));
    assert.notDeepEqual(other.sim.network.counts, first.sim.network.counts);
    assert.deepEqual(other.bob.from('alice'), ids('a'));
    assert.deepEqual(other.alice.from('bob'), ids('b'));
  });
});
