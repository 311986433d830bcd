/**
 * Time for one bench run, shared by every process in it. process.hrtime.bigint() reads CLOCK_MONOTONIC
 * on Linux, which is one clock for the whole machine (checked here: a child's reading taken after its
 * parent's was never smaller), so a sender's timestamp and a receiver's reading in another process can
 * be subtracted to get a one-way latency. Times are µs after an epoch the coordinator picks, small enough
 * for exact doubles and short on the wire.
 */
export class BenchClock {
  constructor(private readonly epochNs: bigint) {}

  static fromEpoch(epochNs: string): BenchClock {
    return new BenchClock(BigInt(epochNs));
  }

  static startingNow(): BenchClock {
    return new BenchClock(process.hrtime.bigint());
  }

  get epoch(): string {
    return this.epochNs.toString();
  }

  /** µs since the epoch of a reading of the same clock in ns (the addon's receive times). */
  usAt(monotonicNs: number): number {
    return (monotonicNs - Number(this.epochNs)) / 1000;
  }

  /** µs since the epoch, with sub-µs fraction. */
  nowUs(): number {
    return Number(process.hrtime.bigint() - this.epochNs) / 1000;
  }
}
