/**
 * When this peer announces itself: at start, again STARTUP_REANNOUNCE_MS later (one lost datagram must
 * not hide a newcomer; Multicast DNS announces twice for the same reason, RFC 6762 section 8.3), then every
 * ANNOUNCE_INTERVAL_MS stretched or shrunk by up to ANNOUNCE_JITTER_FRACTION, so peers started together
 * do not announce in lock-step (RFC 8085 section 3.1.3 on synchronised senders).
 */
import {
  ANNOUNCE_INTERVAL_MS,
  ANNOUNCE_JITTER_FRACTION,
  STARTUP_REANNOUNCE_MS,
} from '../protocol/lan/limits.ts';
import { drawRandom, type RandomSource } from '../protocol/v2/crypto.ts';

const TWO_TO_32 = 0x1_0000_0000;

export class AnnounceSchedule {
  private nextAt: number | null = null;
  private announced = 0;

  constructor(private readonly random: RandomSource) {}

  /** When the next announcement is due, or null before start and after stop. */
  get dueAt(): number | null {
    return this.nextAt;
  }

  start(now: number): void {
    this.announced = 0;
    this.nextAt = now;
  }

  stop(): void {
    this.nextAt = null;
  }

  /** True when an announcement is due at `now`; the next one is then scheduled. */
  due(now: number): boolean {
    if (this.nextAt === null || now < this.nextAt) return false;
    this.announced += 1;
    this.nextAt = now + (this.announced === 1 ? STARTUP_REANNOUNCE_MS : this.jitteredInterval());
    return true;
  }

  private jitteredInterval(): number {
    const view = new DataView(drawRandom(this.random, 4).buffer);
    const unit = view.getUint32(0) / TWO_TO_32; // [0, 1)
    return Math.round(ANNOUNCE_INTERVAL_MS * (1 + ANNOUNCE_JITTER_FRACTION * (2 * unit - 1)));
  }
}
