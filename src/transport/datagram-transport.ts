/**
 * The relay's side of a datagram transport: one local address that many peers send to, and sends to any
 * of them. UdpEndpoint implements it over node:dgram; the in-memory network of test/sim implements it so the
 * assembled relay runs without a socket. DatagramRouter and RelayServer use nothing else.
 *
 * No send throws: a failure (port 0, a closed transport, a full buffer) is counted in `stats.sendErrors`,
 * as the seed's pitfall "Assuming sendto always succeeds" asks.
 */
import type { Address } from '../protocol/address.ts';
import type { TransportStats } from './transport-stats.ts';

export type DatagramHandler = (from: Address, bytes: Uint8Array) => void;

export interface DatagramTransport {
  /** Where peers reach us. */
  readonly local: Address;
  /** The counters so far; read at scrape time, not per datagram. */
  readonly stats: Readonly<TransportStats>;
  /** Whether `sendBatch` hands many datagrams to the kernel at once (else it is `sendUnawaited` each). */
  readonly batchesNatively: boolean;
  /** The one receiver of every datagram that arrives; a later call replaces it. */
  onDatagram(handler: DatagramHandler): void;
  /** Sends one datagram; `flush()` waits for it. For the few sends that must leave before a close. */
  send(to: Address, payload: Uint8Array): void;
  /**
   * Sends one datagram without a completion to wait for (the relay's fan-out: no closure per datagram).
   * Counted as it goes; `flush()` does not wait for it.
   */
  sendUnawaited(to: Address, payload: Uint8Array): void;
  /** `sendUnawaited` for `count` datagrams (`payloads[i]` to `to[i]`), in order; the arrays are not kept. */
  sendBatch(to: readonly Address[], payloads: readonly Uint8Array[], count: number): void;
  /** Resolves when every `send` issued so far has left (or failed). */
  flush(): Promise<void>;
  /** Stops receiving and sending; idempotent. */
  close(): Promise<void>;
}
