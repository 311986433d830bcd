/**
 * Paces a fixed number of lines evenly over a duration. The worker asks on every timer tick how many
 * lines are due by now and sends them as one batch: timers fire late under load, and counting from the
 * start (not from the last tick) makes the average rate exact however irregular the ticks are. Line k is
 * due at start + k / rate; how late the first line of a batch goes out is the generator's own lag.
 */
export class Pacer {
  private sentCount = 0;
  private worstLagUs = 0;
  readonly total: number;

  constructor(
    private readonly startUs: number,
    private readonly linesPerSecond: number,
    durationMs: number,
  ) {
    this.total = linesPerSecond > 0 ? Math.round((linesPerSecond * durationMs) / 1000) : 0;
  }

  get sent(): number {
    return this.sentCount;
  }

  get done(): boolean {
    return this.sentCount >= this.total;
  }

  /** The largest delay seen so far between a line's due time and the tick that sent it. */
  get maxLagUs(): number {
    return this.worstLagUs;
  }

  /** How many lines to send now; the caller sends exactly that many. */
  take(nowUs: number): number {
    if (this.done || nowUs < this.startUs) return 0;
    const elapsedUs = nowUs - this.startUs;
    const due = Math.min(this.total, Math.floor((elapsedUs * this.linesPerSecond) / 1e6) + 1);
    const count = due - this.sentCount;
    if (count <= 0) return 0;
    const lag = nowUs - this.dueAt(this.sentCount);
    if (lag > this.worstLagUs) this.worstLagUs = lag;
    this.sentCount = due;
    return count;
  }

  /** When line k is due. */
  dueAt(k: number): number {
    return this.startUs + (k * 1e6) / this.linesPerSecond;
  }
}
