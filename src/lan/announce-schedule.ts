/**
 * When this peer announces itself: at start, again STARTUP_REANNOUNCE_MS later (one lost datagram must
 * not hide a newcomer; Multicast DNS announces twice for the same reason, RFC 6762 section 8.3), then every
 * ANNOUNCE_INTERVAL_MS stretched or shrunk by up to ANNOUNCE_JITTER_FRACTION, so peers started together
 * do not announce in lock-step (RFC 8085 section 3.1.3 on synchronised senders). Someone arriving brings
 * the next two forward (NEWCOMER_ANSWER_* in protocol/lan/limits.ts).
 */
import {
  ANNOUNCE_INTERVAL_MS,
  ANNOUNCE_JITTER_FRACTION,
  NEWCOMER_ANSWER_GAP_MS,
  NEWCOMER_ANSWER_MAX_MS,
  NEWCOMER_ANSWER_MIN_MS,
  STARTUP_REANNOUNCE_MS,
} from '../protocol/lan/limits.ts';
import { drawRandom, type RandomSource } from '../protocol/v2/crypto.ts';

const TWO_TO_32 = 0x1_0000_0000;

export class AnnounceSchedule {
  private nextAt: number | null = null;
  private announced = 0;
  private answeredAt: number | null = null;

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

  /**
   * Someone arrived: announce soon and once more a second later, as at start, unless we answered an
   * arrival less than NEWCOMER_ANSWER_GAP_MS ago. An announcement already due sooner stays as it is.
   */
  answerNewcomer(now: number): void {
    if (this.nextAt === null) return;
    if (this.answeredAt !== null && now - this.answeredAt < NEWCOMER_ANSWER_GAP_MS) return;
    this.answeredAt = now;
    this.announced = 0;
    const spread = NEWCOMER_ANSWER_MAX_MS - NEWCOMER_ANSWER_MIN_MS;
    this.nextAt = Math.min(this.nextAt, now + NEWCOMER_ANSWER_MIN_MS + Math.round(spread * this.unit()));
  }

  /** True when an announcement is due at `now`; the next one is then scheduled. */
  due(now: number): boolean {
    if (this.nextAt === null || now < this.nextAt) return false;
    this.announced += 1;
    this.nextAt = now + (this.announced === 1 ? STARTUP_REANNOUNCE_MS : this.jitteredInterval());
    return true;
  }

  private jitteredInterval(): number {
    return Math.round(ANNOUNCE_INTERVAL_MS * (1 + ANNOUNCE_JITTER_FRACTION * (2 * this.unit() - 1)));
  }

  /** Uniform in [0, 1). */
  private unit(): number {
    return new DataView(drawRandom(this.random, 4).buffer).getUint32(0) / TWO_TO_32;
  }
}
