/**
 * A worker's bench clients as the rest of the worker sees them: one socket per client, addressed by its
 * local index, whichever way the sockets are read (client-fleet.ts: node:dgram; native-client-fleet.ts:
 * the addon's recvmmsg).
 */

/**
 * A datagram client `local` received; `bytes` is valid only during the call. `receivedNs`, when the fleet
 * knows it, is when the datagram reached the client's socket (ns on process.hrtime's clock); without it,
 * the receiver takes the time of the call.
 */
export type FleetHandler = (local: number, bytes: Buffer, receivedNs?: number) => void;

export interface Fleet {
  readonly size: number;
  /** Sends failed so far (full buffer, relay gone): counted, never thrown. */
  readonly sendErrors: number;
  onMessage(handler: FleetHandler): void;
  send(local: number, payload: string | Buffer): void;
  close(): Promise<void>;
}

/**
 * Opens `count` clients with `openOne`, `batch` at a time (each open is a round trip through the event
 * loop; all at once would queue thousands of handshakes), appending each batch to `into` in index order.
 */
export async function openInBatches<S>(
  count: number,
  batch: number,
  openOne: (local: number) => Promise<S>,
  into: S[],
): Promise<void> {
  for (let first = 0; first < count; first += batch) {
    const last = Math.min(count, first + batch);
    const opening: Promise<S>[] = [];
    for (let local = first; local < last; local++) opening.push(openOne(local));
    into.push(...(await Promise.all(opening)));
  }
}

/**
 * What every socket-per-client fleet shares: the sockets in index order, the one message handler and the
 * send-error count. Each transport adds how a socket is opened, written to and closed.
 */
export abstract class SocketFleet<S> implements Fleet {
  protected handler: FleetHandler = () => {};
  sendErrors = 0;
  protected readonly sockets: S[] = [];

  get size(): number {
    return this.sockets.length;
  }

  onMessage(handler: FleetHandler): void {
    this.handler = handler;
  }

  abstract send(local: number, payload: string | Buffer): void;
  abstract close(): Promise<void>;
}
