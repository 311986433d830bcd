/**
 * The retransmission timer's estimate (RFC 6298), as docs/PROTOCOL-v2.md "Reliable, ordered delivery"
 * sets it: SRTT and RTTVAR from round-trip samples, RTO = SRTT + max(G, 4·RTTVAR), 500 ms before the first
 * sample, clamped to [100 ms, 8 s], doubled per timeout of the same line. Pure arithmetic: no clock.
 */

/** RFC 6298 §2.3: alpha = 1/8, beta = 1/4, K = 4. */
const ALPHA = 1 / 8;
const BETA = 1 / 4;
const K = 4;

export interface RttEstimatorOptions {
  readonly initialRtoMs: number;
  readonly minRtoMs: number;
  readonly maxRtoMs: number;
  readonly clockGranularityMs: number;
}

export class RttEstimator {
  readonly #options: RttEstimatorOptions;
  #srtt: number | null = null;
  #rttvar: number | null = null;
  #rto: number;

  constructor(options: RttEstimatorOptions) {
    this.#options = options;
    // RFC 6298 §2.1: before any sample, RTO is the initial value (the spec's 500 ms), clamped like any other.
    this.#rto = this.#clamp(options.initialRtoMs);
  }

  /** The smoothed round-trip time, or null before the first sample. */
  get srttMs(): number | null {
    return this.#srtt;
  }

  get rttvarMs(): number | null {
    return this.#rttvar;
  }

  /** The current retransmission timeout, not backed off. */
  get rtoMs(): number {
    return this.#rto;
  }

  /**
   * Offers the round trip of a line that was just acknowledged. Karn's algorithm (RFC 6298 §3): a line
   * transmitted more than once is ambiguous (which copy was acknowledged?), so its sample is discarded.
   * Returns whether the sample was used.
   */
  sample(rttMs: number, transmissions: number): boolean {
    if (transmissions !== 1 || !Number.isFinite(rttMs) || rttMs < 0) return false;
    if (this.#srtt === null || this.#rttvar === null) {
      // RFC 6298 §2.2: the first measurement R sets SRTT = R, RTTVAR = R/2.
      this.#srtt = rttMs;
      this.#rttvar = rttMs / 2;
    } else {
      // RFC 6298 §2.3: RTTVAR is updated first, with the SRTT from before this sample.
      this.#rttvar = (1 - BETA) * this.#rttvar + BETA * Math.abs(this.#srtt - rttMs);
      this.#srtt = (1 - ALPHA) * this.#srtt + ALPHA * rttMs;
    }
    this.#rto = this.#clamp(this.#srtt + Math.max(this.#options.clockGranularityMs, K * this.#rttvar));
    return true;
  }

  /**
   * The timeout for a line that already timed out `timeouts` times: RTO doubled per timeout (RFC 6298 §5.5),
   * never above the ceiling (§2.5 allows a maximum; the spec's is 8 s).
   */
  backedOffMs(timeouts: number): number {
    return Math.min(this.#options.maxRtoMs, this.#rto * 2 ** timeouts);
  }

  #clamp(rto: number): number {
    return Math.min(this.#options.maxRtoMs, Math.max(this.#options.minRtoMs, rto));
  }
}
