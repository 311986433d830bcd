/**
 * A worker's bench clients as the rest of the worker sees them: one socket per client, addressed by its
 * local index, whichever way the sockets are read (client-fleet.ts: node:dgram; native-client-fleet.ts:
 * the addon's recvmmsg).
 */

/** A datagram client `local` received; `bytes` is valid only during the call. */
export type FleetHandler = (local: number, bytes: Buffer) => void;

export interface Fleet {
  readonly size: number;
  /** Sends failed so far (full buffer, relay gone): counted, never thrown. */
  readonly sendErrors: number;
  onMessage(handler: FleetHandler): void;
  send(local: number, payload: string | Buffer): void;
  close(): Promise<void>;
}
