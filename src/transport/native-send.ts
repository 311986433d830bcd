/**
 * The optional sendmmsg addon (native/sendmmsg, built by `npm install` when it can be): one system call
 * for a whole fan-out instead of one node:dgram send per datagram. Absent (not built, not Linux, or
 * `UDPCHAT_NATIVE=off`), every send takes the JavaScript path; nothing else changes.
 */
import type dgram from 'node:dgram';
import { createRequire } from 'node:module';

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

const ADDON_PATH = '../../native/sendmmsg/build/Release/sendmmsg.node';

let loaded: NativeSendAddon | null | undefined;

/** The addon, loaded once; null when it was not built or `UDPCHAT_NATIVE=off`. */
export function nativeSendAddon(): NativeSendAddon | null {
  if (loaded === undefined) loaded = load();
  return loaded;
}

function load(): NativeSendAddon | null {
  if (process.env.UDPCHAT_NATIVE === 'off') return null;
  try {
    // The same relative path from src/transport (tsx) and dist/transport (built).
    const addon = createRequire(import.meta.url)(ADDON_PATH) as Partial<NativeSendAddon>;
    if (typeof addon.sendBatch !== 'function' || typeof addon.packAddress !== 'function') return null;
    if (typeof addon.addressSize !== 'number') return null;
    return addon as NativeSendAddon;
  } catch {
    return null;
  }
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
