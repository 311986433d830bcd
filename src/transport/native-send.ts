/**
 * The addon's send side: one sendmmsg(2) for a whole fan-out instead of one node:dgram send per datagram,
 * on the event loop's thread (`sendBatch`) or on sender threads (`startSendThreads`). See native-addon.ts
 * for when it is absent.
 */
import type dgram from 'node:dgram';
import { hasFunctions, nativeAddonExports } from './native-addon.ts';

export interface NativeSendAddon {
  /**
   * Sends `count` datagrams with one sendmmsg(2) per 64, MSG_DONTWAIT. `payloads`: one per datagram, or one
   * for all; `addresses`: `count` packed addresses of `addressSize` bytes each (`packAddress`). Returns how
   * many the kernel took, in order (0..count), or a negative errno when it took none.
   */
  sendBatch(
    fd: number,
    payloads: readonly Uint8Array[] | Uint8Array,
    addresses: Uint8Array,
    count: number,
  ): number;
  /** A sockaddr_in/sockaddr_in6 of `addressSize` bytes, or null for anything but an unscoped IP literal. */
  packAddress(host: string, port: number): Buffer | null;
  readonly addressSize: number;
}

declare const sendThreadsBrand: unique symbol;
/** The addon's handle on a socket's sender threads (opaque). */
export interface SendThreadsHandle {
  readonly [sendThreadsBrand]: true;
}

/** The sender threads' counters: [sent, bytes sent, failed, dropped (lane full or stopped), waiting]. */
export type SendThreadCounters = readonly [number, number, number, number, number];

export interface NativeSendThreads {
  /** `threads` (1..16) sender threads for `fd`, each with a FIFO holding at most `queueLimit` datagrams. */
  startSendThreads(fd: number, threads: number, queueLimit: number): SendThreadsHandle;
  /**
   * Copies `count` datagrams (as for sendBatch) to the threads; returns how many were accepted (the rest
   * were dropped: their lane was full). A destination always goes to the same thread, so its datagrams
   * leave in order.
   */
  sendThreaded(
    handle: SendThreadsHandle,
    payloads: readonly Uint8Array[] | Uint8Array,
    addresses: Uint8Array,
    count: number,
  ): number;
  sendThreadStats(handle: SendThreadsHandle): SendThreadCounters;
  /** Sends what is queued for up to `drainMs`, drops the rest, joins the threads. Idempotent. */
  stopSendThreads(handle: SendThreadsHandle, drainMs: number): void;
}

/** The addon's batched send, or null when it was not built or `UDPCHAT_NATIVE=off`. */
export function nativeSendAddon(): NativeSendAddon | null {
  const exports = nativeAddonExports();
  if (exports === null || !hasFunctions(exports, ['sendBatch', 'packAddress'])) return null;
  if (typeof exports.addressSize !== 'number') return null;
  return exports as unknown as NativeSendAddon;
}

/** The addon's sender threads (with its batched send), or null when they are not available. */
export function nativeSendThreads(): (NativeSendAddon & NativeSendThreads) | null {
  const send = nativeSendAddon();
  const exports = nativeAddonExports();
  const names = ['startSendThreads', 'sendThreaded', 'sendThreadStats', 'stopSendThreads'];
  if (send === null || exports === null || !hasFunctions(exports, names)) return null;
  return exports as unknown as NativeSendAddon & NativeSendThreads;
}

interface UdpHandle {
  readonly fd?: unknown;
}

/**
 * The socket's file descriptor, or null. node:dgram does not expose it: `socket._handle` works but is
 * deprecated (DEP0112, a warning on first use). The socket keeps its handle in an internal state object
 * under a symbol described 'state symbol' (lib/internal/dgram.js, Node 12 to 24); its `fd` getter is the
 * libuv handle's, no warning. This is the only place that relies on that internal; if it moves, the answer
 * is null and the JavaScript path is used. Read once, after bind (libuv has no descriptor before).
 */
export function socketFd(socket: dgram.Socket): number | null {
  try {
    const symbol = Object.getOwnPropertySymbols(socket).find((s) => s.description === 'state symbol');
    if (symbol === undefined) return null;
    const state = (socket as unknown as Record<symbol, { readonly handle?: UdpHandle } | undefined>)[symbol];
    const fd = state?.handle?.fd;
    return typeof fd === 'number' && Number.isInteger(fd) && fd >= 0 ? fd : null;
  } catch {
    return null;
  }
}
