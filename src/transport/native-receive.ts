/**
 * The addon's receive side, for the bench's many client sockets: plain descriptors watched by the event
 * loop and read with recvmmsg(2); what every socket received in one turn of the loop reaches JavaScript in
 * one call, instead of one node:dgram 'message' event (and a Buffer and an rinfo object) per datagram.
 * See native-addon.ts for when it is absent.
 */
import { hasFunctions, nativeAddonExports } from './native-addon.ts';

declare const receiverBrand: unique symbol;
/** The addon's handle on a set of watched sockets (opaque). */
export interface ReceiverHandle {
  readonly [receiverBrand]: true;
}

/** `count` datagrams are in the buffers (see startReceiving); they are reused after it returns. */
export type BatchHandler = (count: number) => void;

export interface NativeReceiveAddon {
  /** A non-blocking UDP socket bound to `localHost` (port 0), connected to the remote; or -errno. */
  openClientSocket(localHost: string, remoteHost: string, remotePort: number, receiveBuffer: number): number;
  /** send(2) with MSG_DONTWAIT on a connected socket: bytes sent, or -errno. */
  sendOn(fd: number, bytes: Uint8Array): number;
  /** Closes a socket that is not being received from. */
  closeSocket(fd: number): void;
  /**
   * Watches `fds`. Datagram k of a batch is at `data[k * slotSize ...]` (cut at slotSize), its length in
   * `lengths[k]`, the index in `fds` of its socket in `sockets[k]`. `lengths` and `sockets` have one entry
   * per slot (at least receiveBatch), `data` slots * slotSize bytes. onBatch is called at the end of each
   * turn of the event loop in which datagrams arrived, and whenever the slots are full. `times`, if given
   * (as long as `lengths`), gets datagram k's receive time in `times[k]`: ns on CLOCK_MONOTONIC (the clock
   * of process.hrtime), taken by the kernel when the datagram reached the socket where it can
   * (SO_TIMESTAMPNS), else when recvmmsg returned it.
   */
  startReceiving(
    fds: Int32Array,
    slotSize: number,
    data: Uint8Array,
    lengths: Int32Array,
    sockets: Int32Array,
    onBatch: BatchHandler,
    times?: Float64Array,
  ): ReceiverHandle;
  /** Stops watching (idempotent); the sockets stay open. */
  stopReceiving(handle: ReceiverHandle): void;
  readonly receiveBatch: number;
}

const FUNCTIONS = ['openClientSocket', 'sendOn', 'closeSocket', 'startReceiving', 'stopReceiving'];

/** The addon's batched receive, or null when it was not built or `UDPCHAT_NATIVE=off`. */
export function nativeReceiveAddon(): NativeReceiveAddon | null {
  const exports = nativeAddonExports();
  if (exports === null || !hasFunctions(exports, FUNCTIONS)) return null;
  if (typeof exports.receiveBatch !== 'number') return null;
  return exports as unknown as NativeReceiveAddon;
}
