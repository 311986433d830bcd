/**
 * `udpchat chaos --tcp`: a TCP forwarder with the stream fault model (stream-fault-model.ts): every chunk,
 * in each direction, is delayed, jittered and now and then stalled, in order. Each client connection gets
 * its own upstream connection to the target; a close on either side closes the other once what was
 * queued has been delivered. WebSocket traffic is TCP too, so the same proxy serves the web client.
 */
import { randomInt } from 'node:crypto';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Address } from '../protocol/address.ts';
import { deriveSeed, MAX_SEED, mulberry32, type RandomSource } from './prng.ts';
import { deliveryTime, type StreamFaultSettings } from './stream-fault-model.ts';

export interface TcpChaosSettings {
  readonly listen: Address;
  readonly target: Address;
  readonly faults: StreamFaultSettings;
  readonly seed: number | undefined;
}

export interface TcpChaosStats {
  connections: number;
  chunks: number;
  stalled: number;
  bytes: number;
}

export class TcpChaosProxy {
  readonly stats: TcpChaosStats = { connections: 0, chunks: 0, stalled: 0, bytes: 0 };
  private readonly sockets = new Set<net.Socket>();
  private readonly random: RandomSource;

  private constructor(
    private readonly server: net.Server,
    readonly address: Address,
    private readonly settings: TcpChaosSettings,
    readonly seed: number,
  ) {
    this.random = mulberry32(deriveSeed(seed, 7));
    server.on('connection', (client) => this.connected(client));
  }

  static async start(settings: TcpChaosSettings): Promise<TcpChaosProxy> {
    const server = net.createServer({ noDelay: true, pauseOnConnect: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: settings.listen.host, port: settings.listen.port }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const bound = server.address() as net.AddressInfo;
    const seed = settings.seed ?? randomInt(0, MAX_SEED);
    return new TcpChaosProxy(server, { host: bound.address, port: bound.port }, settings, seed);
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private connected(client: net.Socket): void {
    this.stats.connections++;
    const upstream = net.connect({ ...this.settings.target, noDelay: true });
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => {});
    }
    upstream.once('connect', () => {
      this.pipe(client, upstream);
      this.pipe(upstream, client);
      client.resume();
    });
    upstream.once('close', () => client.destroy());
  }

  /** One direction: chunks leave in order, each at its delivery time; the end follows the last of them. */
  private pipe(from: net.Socket, to: net.Socket): void {
    const queue: { readonly at: number; readonly chunk: Buffer }[] = [];
    let lastAt = 0;
    let ended = false;
    let timer: NodeJS.Timeout | undefined;
    const drain = (): void => {
      timer = undefined;
      const now = performance.now();
      while (queue.length > 0 && (queue[0]?.at ?? 0) <= now) {
        const next = queue.shift();
        if (next !== undefined && !to.destroyed) to.write(next.chunk);
      }
      if (queue.length > 0) timer = setTimeout(drain, Math.max(0, (queue[0]?.at ?? now) - now));
      else if (ended) to.end();
    };
    from.on('data', (chunk: Buffer) => {
      const now = performance.now();
      const { at, stalled } = deliveryTime(this.settings.faults, this.random, now, lastAt);
      lastAt = at;
      this.stats.chunks++;
      this.stats.bytes += chunk.length;
      if (stalled) this.stats.stalled++;
      queue.push({ at, chunk });
      timer ??= setTimeout(drain, Math.max(0, (queue[0]?.at ?? at) - now));
    });
    const finish = (): void => {
      ended = true;
      if (timer === undefined && queue.length === 0) to.end();
    };
    from.on('end', finish);
    from.on('close', finish);
  }
}
