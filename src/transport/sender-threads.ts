/**
 * A socket's sender threads (the addon's `startSendThreads`, for `udpchat relay --send-threads`): the
 * datagrams of each batch are copied to the threads, which send them with sendmmsg(2), so the kernel's
 * work per datagram runs beside the event loop. Each destination belongs to one thread, so its datagrams
 * keep their order. Counted by the threads as they send.
 */
import { SEND_THREAD_QUEUE_LIMIT } from '../protocol/limits.ts';
import { type NativeSendThreads, nativeSendThreads, type SendThreadsHandle } from './native-send.ts';

/** On stop, the threads get this long to send what they hold. */
const DRAIN_MS = 1_000;

export interface SenderThreadCounters {
  readonly sent: number;
  readonly bytes: number;
  /** Refused by the kernel, or dropped (a full queue, or still queued when the drain time ran out). */
  readonly errors: number;
}

export class SenderThreads {
  private constructor(
    private readonly addon: NativeSendThreads,
    private readonly handle: SendThreadsHandle,
    readonly count: number,
  ) {}

  /** `count` threads sending on socket `fd`; null when the addon (or this part of it) is not built. */
  static start(fd: number, count: number): SenderThreads | null {
    const addon = nativeSendThreads();
    if (addon === null) return null;
    return new SenderThreads(addon, addon.startSendThreads(fd, count, SEND_THREAD_QUEUE_LIMIT), count);
  }

  /** Hands over `count` datagrams (as for the addon's sendBatch); the bytes are copied at once. */
  send(payloads: readonly Uint8Array[] | Uint8Array, addresses: Uint8Array, count: number): void {
    this.addon.sendThreaded(this.handle, payloads, addresses, count);
  }

  counters(): SenderThreadCounters {
    const [sent, bytes, failed, dropped] = this.addon.sendThreadStats(this.handle);
    return { sent, bytes, errors: failed + dropped };
  }

  /** Sends what is queued (for up to DRAIN_MS), then ends the threads; before the socket closes. */
  stop(): void {
    this.addon.stopSendThreads(this.handle, DRAIN_MS);
  }
}
