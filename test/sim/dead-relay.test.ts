/**
 * A v2 client notices a relay that stops answering within seconds, in simulated time: the real relay and a
 * real ChatClient over the memory network, whose path to the relay is cut. With the interactive idle probe
 * a quiet client sees it within 3 s (the status bar's promise); without it, a line left unacknowledged is
 * what tells. When the path comes back, the client says the relay is answering again.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { INTERACTIVE_IDLE_PROBE_MS, STALL_AFTER_MS } from '../../src/session/liveness.ts';
import { ChatSim, type SimClient } from './chat-sim.ts';
import { CLEAN_PATH, type PathProfile } from './sim-network.ts';

const HOST = '198.51.100.7';
const CUT: PathProfile = { ...CLEAN_PATH, loss: 1 };
const MAX_STEPS = 1_000_000;

/** Runs the clock until `client` emits `name`; returns the simulated time it came at. */
function timeOf(sim: ChatSim, client: SimClient, name: 'stalled' | 'unstalled', withinMs: number): number {
  let at: number | null = null;
  client.on(name, () => {
    at ??= sim.time.now;
  });
  sim.time.run({
    until: () => at !== null,
    maxTimeMs: sim.time.now + withinMs,
    maxSteps: MAX_STEPS,
    describe: () =>
      `${client.nick}: no ${name} event; connection ${JSON.stringify(client.client.connection())}`,
  });
  return at ?? Number.NaN;
}

describe('a dead relay over v2', () => {
  test('a quiet client with the idle probe marks the connection overdue within 3 s of the cut', async (t) => {
    const sim = new ChatSim(41);
    t.after(() => sim.stop());
    const alice = await sim.connect('alice', {
      host: HOST,
      protocol: 'v2',
      profile: CLEAN_PATH,
      v2: { idleProbeMs: INTERACTIVE_IDLE_PROBE_MS },
    });
    sim.welcomeAll();
    // Idle but alive for a while: the probes are answered, nothing is overdue.
    sim.time.advanceTo(sim.time.now + 20_000, MAX_STEPS);
    assert.equal(alice.client.connection().overdue, false);
    assert.ok((alice.client.pathStats()?.channel.pingsSent ?? 0) > 10, 'the quiet session probed');

    const cutAt = sim.time.now;
    sim.network.setProfile(HOST, CUT);
    const stalledAt = timeOf(sim, alice, 'stalled', 10_000);
    assert.ok(stalledAt - cutAt <= 3_000, `stalled ${stalledAt - cutAt} ms after the cut`);
    const status = alice.client.connection();
    assert.equal(status.state, 'joined');
    assert.equal(status.overdue, true);
    assert.ok(status.silentMs >= STALL_AFTER_MS, `silent for ${status.silentMs} ms`);

    sim.network.setProfile(HOST, CLEAN_PATH);
    timeOf(sim, alice, 'unstalled', 5_000);
    assert.equal(alice.client.connection().overdue, false);
  });

  test('without the probe, an unacknowledged line is what shows the relay gone', async (t) => {
    const sim = new ChatSim(42);
    t.after(() => sim.stop());
    const bob = await sim.connect('bob', { host: HOST, protocol: 'v2', profile: CLEAN_PATH });
    sim.welcomeAll();
    sim.time.advanceTo(sim.time.now + 3_000, MAX_STEPS);
    sim.network.setProfile(HOST, CUT);
    // Silence alone, with nothing sent, says nothing before the keep-alive: no stall yet.
    sim.time.advanceTo(sim.time.now + 5_000, MAX_STEPS);
    assert.equal(bob.client.connection().overdue, false);
    const saidAt = sim.time.now;
    assert.equal(bob.client.say('anyone there?').ok, true);
    const stalledAt = timeOf(sim, bob, 'stalled', 10_000);
    assert.ok(stalledAt - saidAt >= STALL_AFTER_MS, 'not before the stall time');
    assert.ok(stalledAt - saidAt <= 3_000, `stalled ${stalledAt - saidAt} ms after the line`);
    assert.equal(bob.client.connection().overdue, true);
  });
});
