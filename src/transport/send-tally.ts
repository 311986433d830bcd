/**
 * node:dgram sends that have not called back yet, for a socket binding: each completion is counted in the
 * binding's TransportStats (sent or failed), and `flush` resolves once none is outstanding (a leave or a
 * shutdown notice must leave before the socket closes).
 */
import type { TransportStats } from './transport-stats.ts';

export class SendTally {
  private pending = 0;
  private drained: (() => void)[] = [];

  constructor(private readonly counters: TransportStats) {}

  started(): void {
    this.pending++;
  }

  /** A send called back: `bytes` left, or `error` says why not. */
  done(error: Error | null | undefined, bytes: number): void {
    this.pending--;
    if (error) this.counters.sendErrors++;
    else {
      this.counters.datagramsOut++;
      this.counters.bytesOut += bytes;
    }
    if (this.pending === 0) for (const resolve of this.drained.splice(0)) resolve();
  }

  /** Resolves when every send started so far has been handed to the kernel (or failed). */
  flush(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }
}
