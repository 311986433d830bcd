/**
 * ChatClient's injected seams, driven in memory (test/sim): the transport factory and its resolver, the
 * clock and the timer. A stream link speaks v1 only and cannot rebind; a resolver's failure is the
 * connect's error; the /join retries run on the injected timer and clock alone.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ChatClient } from '../../src/client-host/chat-client.ts';
import { JOIN_ATTEMPTS, JOIN_RETRY_MS } from '../../src/protocol/limits.ts';
import type { ClientTransport, RelayLink } from '../../src/transport/relay-link.ts';
import { ChatSim, RELAY_ADDRESS, seededBytes } from '../sim/chat-sim.ts';
import { memoryTransport, tableResolver } from '../sim/memory-link.ts';

describe('ChatClient over an injected transport, clock and timer', () => {
  test('over a stream link it speaks v1 from the start, chats, and cannot rebind', async (t) => {
    const sim = new ChatSim(3);
    t.after(() => sim.stop());
    const alice = await sim.connect('alice', { host: '198.51.100.1', kind: 'stream' });
    const bob = await sim.connect('bob', { host: '198.51.100.2' });
    assert.equal(alice.client.protocol, 'v1', 'no v2 probe over a stream');
    sim.welcomeAll();
    assert.equal(bob.client.protocol, 'v2');
    alice.client.say('over a stream');
    sim.time.run({ until: () => bob.heard.length > 0, maxTimeMs: 10_000, maxSteps: 10_000 });
    assert.deepEqual(bob.from('alice'), ['over a stream']);
    await assert.rejects(alice.client.rebind(), { message: 'a stream link cannot rebind' });
  });

  test('protocol v2 over a link that cannot carry it is refused at connect, and the link is closed', async (t) => {
    const sim = new ChatSim(3);
    t.after(() => sim.stop());
    const transport = memoryTransport(sim.network, '198.51.100.1', sim.resolver, 'stream');
    const made: RelayLink[] = [];
    const recording: ClientTransport = {
      resolveHost: sim.resolver,
      factory: async (request) => {
        const link = await transport.factory(request);
        made.push(link);
        return link;
      },
    };
    await assert.rejects(
      ChatClient.connect({
        nick: 'alice',
        host: 'relay.sim',
        port: RELAY_ADDRESS.port,
        protocol: 'v2',
        transport: recording,
        random: seededBytes(1),
      }),
      {
        message: `protocol v2 needs a datagram link to one relay; the stream link to 192.0.2.1:7000 has none`,
      },
    );
    assert.equal(made.length, 1);
    assert.equal(sim.network.isBound((made[0] as RelayLink).local), false, 'its port was given back');
  });

  test('the resolver’s failure is the connect’s error, naming the host', async () => {
    const sim = new ChatSim(3);
    const transport = memoryTransport(sim.network, '198.51.100.1', tableResolver(new Map()));
    await assert.rejects(
      ChatClient.connect({
        nick: 'alice',
        host: 'nowhere.sim',
        port: 7000,
        transport,
        random: seededBytes(1),
      }),
      { message: 'cannot resolve relay host "nowhere.sim": getaddrinfo ENOTFOUND nowhere.sim' },
    );
    await sim.stop();
  });

  test('an unanswered /join gives up on the injected timer and clock alone', async () => {
    const sim = new ChatSim(3);
    // A name that points at an address nobody holds: every /join vanishes.
    const transport = memoryTransport(
      sim.network,
      '198.51.100.1',
      tableResolver(new Map([['void.sim', '192.0.2.99']])),
    );
    const client = await ChatClient.connect({
      nick: 'alice',
      host: 'void.sim',
      port: 7000,
      protocol: 'v1',
      transport,
      clock: sim.time.clock,
      timers: sim.time.timers,
      random: seededBytes(1),
    });
    let gaveUpAt: number | null = null;
    client.on('error', (error) => {
      assert.equal(error.code, 'unanswered');
      assert.equal(
        error.message,
        `no answer from the relay at 192.0.2.99:7000 (sent /join ${JOIN_ATTEMPTS} times)`,
      );
      gaveUpAt = sim.time.now;
    });
    sim.time.run({ until: () => gaveUpAt !== null, maxTimeMs: 60_000, maxSteps: 1_000 });
    assert.equal(gaveUpAt, JOIN_ATTEMPTS * JOIN_RETRY_MS, 'one retry every JOIN_RETRY_MS of simulated time');
    assert.equal(client.stats.datagramsOut, JOIN_ATTEMPTS);
    assert.equal(client.connection().silentMs, JOIN_ATTEMPTS * JOIN_RETRY_MS, 'read from the injected clock');
    await client.close();
    await sim.stop();
  });
});
