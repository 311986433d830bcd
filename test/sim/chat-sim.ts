/**
 * The whole product in memory: the real RelayServer (Relay + V2RelayEndpoint + DatagramRouter) over a
 * MemoryTransport, and real ChatClients over memory links, every one of them on one SimClock's time and
 * timers and on seeded randomness. Nothing here reads the system clock, arms a system timer or opens a
 * socket, so a run is deterministic per seed and as fast as the CPU.
 */

import { deriveSeed, mulberry32 } from '../../src/chaos/prng.ts';
import type { ChatEvent } from '../../src/client/events.ts';
import type { ProtocolMode, V2ClientTuning } from '../../src/client/line-carrier.ts';
import {
  ChatClient,
  type ChatClientError,
  type ChatClientEvents,
} from '../../src/client-host/chat-client.ts';
import type { RandomSource } from '../../src/protocol/v2/crypto.ts';
import { type RelayCoreOptions, RelayServer } from '../../src/relay-host/relay-server.ts';
import type { HostResolver } from '../../src/transport/host-resolver.ts';
import { memoryTransport, tableResolver } from './memory-link.ts';
import { MemoryTransport } from './memory-transport.ts';
import { SimClock } from './sim-clock.ts';
import { type PathProfile, SimNetwork } from './sim-network.ts';

export const RELAY_NAME = 'relay.sim';
export const RELAY_ADDRESS = { host: '192.0.2.1', port: 7000 };

/** Bytes from a seeded mulberry32: the v2 keys, nonces and cookies of a simulation, replayable. */
export function seededBytes(seed: number): RandomSource {
  const next = mulberry32(seed);
  return (count) => Uint8Array.from({ length: count }, () => Math.floor(next() * 256));
}

/** A chat line as one client saw it, and when. */
export interface Heard {
  readonly nick: string;
  readonly text: string;
  readonly at: number;
}

export interface ClientSetup {
  /** The simulated host the client's links live on (its path profile is that host's). */
  readonly host: string;
  readonly protocol?: ProtocolMode;
  readonly profile?: PathProfile;
  readonly kind?: 'datagram' | 'stream';
  readonly v2?: V2ClientTuning;
}

/** One ChatClient and what it reported. */
export class SimClient {
  readonly heard: Heard[] = [];
  readonly errors: ChatClientError[] = [];
  readonly notices: string[] = [];
  welcomed = false;

  constructor(
    readonly nick: string,
    readonly client: ChatClient,
    time: SimClock,
  ) {
    client.on('welcome', () => {
      this.welcomed = true;
    });
    client.on('chat', (event: ChatEvent) =>
      this.heard.push({ nick: event.nick, text: event.text, at: time.now }),
    );
    client.on('notice', (event) => this.notices.push(event.text));
    client.on('error', (error) => this.errors.push(error));
  }

  /** The texts heard from `nick`, in the order they were shown. */
  from(nick: string): string[] {
    return this.heard.filter((line) => line.nick === nick).map((line) => line.text);
  }

  on<K extends keyof ChatClientEvents>(name: K, listener: (payload: ChatClientEvents[K]) => void): void {
    this.client.on(name, listener);
  }
}

export class ChatSim {
  readonly time = new SimClock();
  readonly network: SimNetwork;
  readonly relay: RelayServer;
  readonly resolver: HostResolver;
  readonly clients: SimClient[] = [];
  private readonly seed: number;

  constructor(seed: number, options: RelayCoreOptions = {}) {
    this.seed = seed;
    this.network = new SimNetwork(this.time, deriveSeed(seed, 0));
    this.resolver = tableResolver(new Map([[RELAY_NAME, RELAY_ADDRESS.host]]));
    this.relay = RelayServer.over(new MemoryTransport(this.network, RELAY_ADDRESS, true), options, {
      clock: this.time.clock,
      timers: this.time.timers,
      random: seededBytes(deriveSeed(seed, 1)),
      // No accounts in these runs: any check a core asks for is answered "wrong" on the next event.
      runTask: (task, report) => this.time.after(0, () => report(task.id, false)),
    });
  }

  /** Connects a ChatClient to the relay by name, from `setup.host`. Nothing happens until the clock runs. */
  async connect(nick: string, setup: ClientSetup): Promise<SimClient> {
    if (setup.profile) this.network.setProfile(setup.host, setup.profile);
    const client = await ChatClient.connect({
      nick,
      host: RELAY_NAME,
      port: RELAY_ADDRESS.port,
      protocol: setup.protocol ?? 'auto',
      transport: memoryTransport(this.network, setup.host, this.resolver, setup.kind),
      clock: this.time.clock,
      timers: this.time.timers,
      random: seededBytes(deriveSeed(this.seed, 2 + this.clients.length)),
      ...(setup.v2 ? { v2: setup.v2 } : {}),
    });
    const simClient = new SimClient(nick, client, this.time);
    this.clients.push(simClient);
    return simClient;
  }

  /** Runs until every client is welcomed (bounded). */
  welcomeAll(maxTimeMs = this.time.now + 20_000): void {
    this.time.run({
      until: () => this.clients.every((c) => c.welcomed),
      maxTimeMs,
      maxSteps: 1_000_000,
      describe: () => this.clients.map((c) => `${c.nick} ${c.client.state}/${c.client.protocol}`).join(', '),
    });
  }

  /** Stops every client and the relay, as a test's last step. */
  async stop(): Promise<void> {
    for (const c of this.clients) await c.client.close();
    await this.relay.stop();
  }
}
