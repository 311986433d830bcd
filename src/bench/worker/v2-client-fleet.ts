/**
 * A worker's bench clients over protected v2 (`bench --transport v2`, wire version 3): one UDP socket per
 * client, as client-fleet.ts opens it, carrying a V2ClientConnection (the session layer's client side, as
 * the chat client uses it). Each client completes its handshake before the fleet is open; then the fleet's
 * v1 lines go out as the connection's lines (sealed, acknowledged, retransmitted) and every line the relay
 * delivers is handed on as a v1 datagram of its own, so the rest of the worker does not know the difference.
 */
import type dgram from 'node:dgram';
import { decodeLenient, encodeLine } from '../../protocol/codec.ts';
import { V2ClientConnection, type V2ClientOutput } from '../../session/client-connection.ts';
import { systemRandom } from '../../transport/system-random.ts';
import type { WorkerSetup } from '../messages.ts';
import { openClientSocket } from './client-fleet.ts';
import { openInBatches, SocketFleet } from './fleet.ts';

/** Handshakes in flight at once: each costs the relay an X25519 agreement and an Ed25519 signature. */
const OPEN_BATCH = 100;
/**
 * One timer for the whole fleet, not one per client: it runs each connection whose own timer (ack delay,
 * retransmission, keep-alive) is due. 5 ms is well inside the 25 ms ack delay.
 */
const TICK_MS = 5;

interface V2Client {
  readonly socket: dgram.Socket;
  readonly connection: V2ClientConnection;
  /** When the connection next wants `tick` (performance.now() ms), or Infinity. */
  dueAt: number;
}

export class V2ClientFleet extends SocketFleet<V2Client> {
  private readonly timer: NodeJS.Timeout;

  private constructor() {
    super();
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  static async open(setup: WorkerSetup): Promise<V2ClientFleet> {
    const fleet = new V2ClientFleet();
    try {
      await openInBatches(
        setup.clientCount,
        OPEN_BATCH,
        (local) => fleet.openOne(setup, local),
        fleet.sockets,
      );
    } catch (error) {
      await fleet.close();
      throw error;
    }
    return fleet;
  }

  /** Each line of `payload` (a v1 datagram) is one line of the session; a refused line is a send error. */
  send(local: number, payload: string | Buffer): void {
    const client = this.sockets[local];
    if (client === undefined) return;
    const now = performance.now();
    const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload;
    for (const line of decodeLenient(bytes)) {
      const sent = client.connection.send(now, line);
      if (!sent.result.ok) this.sendErrors++;
      this.write(local, client, sent.out);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    const now = performance.now();
    for (const [local, client] of this.sockets.entries())
      this.write(local, client, client.connection.close(now));
    await Promise.all(
      this.sockets.map((c) => new Promise<void>((resolve) => c.socket.close(() => resolve()))),
    );
  }

  private async openOne(setup: WorkerSetup, local: number): Promise<V2Client> {
    const socket = await openClientSocket(setup, local);
    const client: V2Client = {
      socket,
      connection: new V2ClientConnection({ random: systemRandom }),
      dueAt: Number.POSITIVE_INFINITY,
    };
    socket.on('error', () => {
      this.sendErrors++;
    });
    socket.on('message', (bytes) =>
      this.write(local, client, client.connection.handle(performance.now(), bytes)),
    );
    this.write(local, client, client.connection.start(performance.now()));
    await this.handshake(local, client);
    return client;
  }

  /**
   * Runs the client's timers (HELLO re-sends) until its session is up, with a timer of its own: the fleet's
   * tick sees a client only once its batch is open. Bounded: probing gives up by itself (state 'v1').
   */
  private handshake(local: number, client: V2Client): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setInterval(() => {
        const now = performance.now();
        if (client.dueAt <= now) this.write(local, client, client.connection.tick(now));
        const state = client.connection.state;
        if (state === 'established') {
          clearInterval(timer);
          resolve();
        } else if (state === 'v1' || state === 'closed') {
          clearInterval(timer);
          reject(new Error(`client ${local}: the relay did not establish a protected v2 session (${state})`));
        }
      }, TICK_MS);
    });
  }

  /** Sends what the connection produced and hands the relay's lines on; re-reads its next timeout. */
  private write(local: number, client: V2Client, out: V2ClientOutput): void {
    for (const datagram of out.datagrams) {
      try {
        client.socket.send(datagram);
      } catch {
        this.sendErrors++;
      }
    }
    for (const event of out.events) {
      if (event.type !== 'delivered') continue;
      for (const item of event.items)
        if (item.type === 'line') this.handler(local, Buffer.from(encodeLine(item.text)));
    }
    client.dueAt = client.connection.nextTimeout() ?? Number.POSITIVE_INFINITY;
  }

  private tick(): void {
    const now = performance.now();
    for (const [local, client] of this.sockets.entries()) {
      if (client.dueAt <= now) this.write(local, client, client.connection.tick(now));
    }
  }
}
