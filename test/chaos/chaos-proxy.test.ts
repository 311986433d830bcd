import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, it } from 'node:test';
import { ChaosProxy } from '../../src/chaos/chaos-proxy.ts';
import { chaosSettingsFromArgs } from '../../src/cli/chaos-flags.ts';
import type { Address } from '../../src/protocol/address.ts';
import { ExclusiveSocket } from './exclusive-socket.ts';
import { Recorder } from './recorder.ts';

/** `udpchat chaos` flag values by name, e.g. `{ loss: '100%' }`. */
type ChaosFlagValues = Readonly<Record<string, string>>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface Received {
  readonly from: Address;
  readonly text: string;
}

async function listening(recorder: Recorder<Received>, echo: boolean): Promise<ExclusiveSocket> {
  const endpoint = await ExclusiveSocket.bind();
  endpoint.onDatagram((from, bytes) => {
    recorder.push({ from, text: decoder.decode(bytes) });
    if (echo) endpoint.send(from, bytes);
  });
  return endpoint;
}

function texts(recorder: Recorder<Received>): string[] {
  return recorder.items.map((item) => item.text).sort();
}

/** An echo server behind a chaos proxy, and clients in front of it; everything is closed after each test. */
class World {
  private readonly endpoints: ExclusiveSocket[];
  private closed: Promise<void> | undefined;

  private constructor(
    readonly server: ExclusiveSocket,
    readonly atServer: Recorder<Received>,
    readonly proxy: ChaosProxy,
    readonly traces: Recorder<string>,
  ) {
    this.endpoints = [server];
  }

  static async start(flags: ChaosFlagValues): Promise<World> {
    const atServer = new Recorder<Received>();
    const server = await listening(atServer, true);
    const values: ChaosFlagValues = {
      listen: '0',
      'listen-host': '127.0.0.1',
      to: `127.0.0.1:${server.local.port}`,
      seed: '1',
      ...flags,
    };
    const settings = chaosSettingsFromArgs(
      Object.entries(values).map(([name, value]) => `--${name}=${value}`),
    );
    const traces = new Recorder<string>();
    const proxy = await ChaosProxy.start(settings, { trace: (line) => traces.push(line) });
    return new World(server, atServer, proxy, traces);
  }

  async client(): Promise<{ endpoint: ExclusiveSocket; inbox: Recorder<Received> }> {
    const inbox = new Recorder<Received>();
    const endpoint = await listening(inbox, false);
    this.endpoints.push(endpoint);
    return { endpoint, inbox };
  }

  sendVia(endpoint: ExclusiveSocket, ...messages: string[]): void {
    for (const message of messages) endpoint.send(this.proxy.address, encoder.encode(message));
  }

  /** Idempotent: a test may close its world itself and afterEach closes it again. */
  close(): Promise<void> {
    this.closed ??= this.proxy
      .stop()
      .then(() => Promise.all(this.endpoints.map((endpoint) => endpoint.close())))
      .then(() => undefined);
    return this.closed;
  }
}

function numbered(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`);
}

function matches(pattern: RegExp): (line: string) => boolean {
  return (line) => pattern.test(line);
}

/** libuv releases a closed handle in the close phase that follows; two turns of the loop pass it. */
async function loopTurns(): Promise<void> {
  for (let i = 0; i < 2; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

function activeCount(kind: string): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === kind).length;
}

describe('chaos proxy over real UDP sockets on 127.0.0.1', () => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('with every fault at 0% each datagram arrives exactly once in both directions', async () => {
    world = await World.start({});
    const { endpoint, inbox } = await world.client();
    const messages = numbered('m', 20);
    world.sendVia(endpoint, ...messages);
    await world.atServer.waitFor(20, 'datagrams at the server');
    await inbox.waitFor(20, 'echoes at the client');
    assert.deepEqual(texts(world.atServer), messages);
    assert.deepEqual(texts(inbox), messages);
    // The proxy forwarded exactly what arrived, so no further copy is on its way.
    assert.deepEqual(world.proxy.stats.up, {
      received: 20,
      forwarded: 20,
      dropped: 0,
      duplicated: 0,
      reordered: 0,
    });
    assert.deepEqual(world.proxy.stats.down, {
      received: 20,
      forwarded: 20,
      dropped: 0,
      duplicated: 0,
      reordered: 0,
    });
    const proxyPort = world.proxy.address.port;
    assert.ok(inbox.items.every((item) => item.from.port === proxyPort));
  });

  it('with 100% loss nothing reaches the server', async () => {
    world = await World.start({ loss: '100%' });
    const { endpoint } = await world.client();
    world.sendVia(endpoint, ...numbered('lost', 10));
    await world.traces.waitFor(10, 'drop decisions', matches(/^fault up \S+ \d+B drop$/));
    assert.deepEqual(world.proxy.stats.up, {
      received: 10,
      forwarded: 0,
      dropped: 10,
      duplicated: 0,
      reordered: 0,
    });
    // Every datagram was decided without scheduling a copy; a marker sent directly confirms the server saw none.
    endpoint.send(world.server.local, encoder.encode('marker'));
    await world.atServer.waitFor(1, 'marker');
    assert.deepEqual(texts(world.atServer), ['marker']);
    assert.equal(world.proxy.stats.down.received, 0);
  });

  it('with 100% duplication every datagram arrives twice, each way', async () => {
    world = await World.start({ dup: '100%' });
    const { endpoint, inbox } = await world.client();
    const messages = numbered('d', 5);
    world.sendVia(endpoint, ...messages);
    await world.atServer.waitFor(10, 'copies at the server');
    // Each of the server's two echoes is duplicated again on the way back.
    await inbox.waitFor(20, 'copies at the client');
    assert.deepEqual(
      texts(world.atServer),
      messages.flatMap((m) => [m, m]),
    );
    assert.deepEqual(
      texts(inbox),
      messages.flatMap((m) => [m, m, m, m]),
    );
    assert.deepEqual(world.proxy.stats.up, {
      received: 5,
      forwarded: 10,
      dropped: 0,
      duplicated: 5,
      reordered: 0,
    });
    assert.deepEqual(world.proxy.stats.down, {
      received: 10,
      forwarded: 20,
      dropped: 0,
      duplicated: 10,
      reordered: 0,
    });
  });

  it('with the same --seed a second run makes the same decisions for the same datagrams', async () => {
    const runs: string[][] = [];
    for (let run = 0; run < 2; run++) {
      const w = await World.start({ loss: '50%', dup: '20%', reorder: '20%', jitter: '2ms', seed: '99' });
      world = w;
      const { endpoint } = await w.client();
      w.sendVia(endpoint, ...numbered('s', 30));
      const decision = matches(/^fault up /);
      await w.traces.waitFor(30, 'fault decisions', decision);
      // The client's port differs between runs; the decisions must not.
      runs.push(w.traces.matching(decision).map((line) => line.replace(/^fault up \S+ /, '')));
      await w.close();
      world = undefined;
    }
    assert.deepEqual(runs[1], runs[0]);
    assert.ok(runs[0]?.some((line) => line.endsWith('drop')));
  });

  it('each client gets its own upstream mapping and only its own replies', async () => {
    world = await World.start({});
    const alice = await world.client();
    const bob = await world.client();
    world.sendVia(alice.endpoint, 'from alice');
    world.sendVia(bob.endpoint, 'from bob');
    await world.atServer.waitFor(2, 'datagrams at the server');
    await alice.inbox.waitFor(1, 'echo to alice');
    await bob.inbox.waitFor(1, 'echo to bob');
    const sources = new Set(world.atServer.items.map((item) => item.from.port));
    assert.equal(sources.size, 2, 'two different source ports at the server');
    for (const port of [alice.endpoint.local.port, bob.endpoint.local.port, world.proxy.address.port]) {
      assert.ok(!sources.has(port), 'the server sees fresh ephemeral ports, not the clients or the listener');
    }
    assert.deepEqual(texts(alice.inbox), ['from alice']);
    assert.deepEqual(texts(bob.inbox), ['from bob']);
    assert.equal(world.proxy.mappingCount, 2);
  });

  it('two hundred clients get two hundred distinct upstream ports', async () => {
    const clients = 200;
    const w = await World.start({});
    world = w;
    const senders = await Promise.all(Array.from({ length: clients }, () => w.client()));
    for (const [i, sender] of senders.entries()) w.sendVia(sender.endpoint, `c${i}`);
    await w.atServer.waitFor(clients, 'datagrams at the server');
    // Without the proxy's own port check, SO_REUSEADDR autobinding makes a shared port likely at this count.
    const sources = new Set(w.atServer.items.map((item) => item.from.port));
    assert.equal(sources.size, clients);
    assert.equal(w.proxy.mappingCount, clients);
  });

  it('the base delay is applied in each direction', async () => {
    world = await World.start({ delay: '60ms' });
    const { endpoint, inbox } = await world.client();
    const sentAt = performance.now();
    world.sendVia(endpoint, 'slow');
    await inbox.waitFor(1, 'delayed echo');
    // Timers may fire up to a millisecond early relative to performance.now(); allow for both legs.
    assert.ok(performance.now() - sentAt >= 118, `round trip ${performance.now() - sentAt} ms`);
  });

  it('an idle mapping is closed, and the client gets a fresh one when it speaks again', async () => {
    world = await World.start({ 'mapping-timeout': '50ms' });
    const { endpoint, inbox } = await world.client();
    world.sendVia(endpoint, 'first');
    await inbox.waitFor(1, 'first echo');
    await world.traces.waitFor(1, 'mapping expiry', matches(/^mapping expired /));
    assert.equal(world.proxy.mappingCount, 0);
    world.sendVia(endpoint, 'second');
    await inbox.waitFor(2, 'second echo');
    const [first, second] = world.atServer.items;
    assert.notEqual(first?.from.port, second?.from.port);
    assert.equal(world.proxy.stats.mappingsOpened, 2);
    assert.equal(world.proxy.stats.mappingsExpired, 1);
  });

  it('beyond --max-mappings a new client is refused while known clients keep working', async () => {
    world = await World.start({ 'max-mappings': '1' });
    const alice = await world.client();
    const bob = await world.client();
    world.sendVia(alice.endpoint, 'a1');
    await alice.inbox.waitFor(1, 'echo to alice');
    world.sendVia(bob.endpoint, 'b1');
    await world.traces.waitFor(1, 'refusal', matches(/^mapping refused /));
    world.sendVia(alice.endpoint, 'a2');
    await alice.inbox.waitFor(2, 'second echo to alice');
    assert.equal(world.proxy.stats.refused, 1);
    assert.deepEqual(texts(world.atServer), ['a1', 'a2']);
  });

  it('stop() closes the listener, every mapping socket and every pending delivery timer', async () => {
    await loopTurns();
    const sockets = activeCount('UDPWrap');
    const timers = activeCount('Timeout');
    const local = await World.start({ delay: '10s' });
    world = local;
    const alice = await local.client();
    const bob = await local.client();
    local.sendVia(alice.endpoint, 'held');
    local.sendVia(bob.endpoint, 'held');
    await local.traces.waitFor(2, 'mappings', matches(/^mapping open /));
    await local.traces.waitFor(2, 'fault decisions', matches(/^fault up /));
    // server + 2 clients + listener + 2 mappings.
    assert.equal(activeCount('UDPWrap'), sockets + 6);
    await local.proxy.stop();
    await loopTurns();
    assert.equal(activeCount('UDPWrap'), sockets + 3, 'only the test-owned server and clients remain');
    assert.equal(activeCount('Timeout'), timers, 'no delivery or sweep timer is left');
    assert.equal(local.proxy.mappingCount, 0);
    await local.close();
    await loopTurns();
    assert.equal(activeCount('UDPWrap'), sockets);
  });
});
