/**
 * Finds the highest line rate a relay carries with under 1 % loss: multiply the rate by 1.5 while steps
 * pass, then bisect between the last passing and the first failing rate until they are within 5 % of each
 * other (or the step budget is spent). Pure: the caller runs each proposed step and reports pass or fail.
 */

/** The threshold: a rate passes with strictly less than 1 % loss. */
export const MAX_LOSS_PERCENT = 1;
const GROWTH = 1.5;
const PRECISION = 0.05;
const MAX_STEPS = 14;

export class RateSearch {
  private best: number | undefined;
  private failed: number | undefined;
  private current: number;
  private steps = 0;

  constructor(startRate: number) {
    this.current = startRate;
  }

  /** The highest passing rate so far. */
  get bestRate(): number | undefined {
    return this.best;
  }

  /** The rate to try next, or undefined when the search is over. */
  next(): number | undefined {
    return this.steps < MAX_STEPS ? this.current : undefined;
  }

  /** Reports the outcome of the step at the rate `next()` proposed. */
  report(lossPercent: number): void {
    this.steps++;
    const rate = this.current;
    if (lossPercent < MAX_LOSS_PERCENT) this.best = rate;
    else this.failed = rate;
    const proposal = this.propose();
    if (proposal === undefined) this.steps = MAX_STEPS;
    else this.current = proposal;
  }

  private propose(): number | undefined {
    const { best, failed } = this;
    if (failed === undefined) return (best ?? this.current) * GROWTH;
    // Nothing passed yet: step down until something does.
    if (best === undefined) return failed / GROWTH;
    if (failed <= best * (1 + PRECISION)) return undefined;
    return (best + failed) / 2;
  }
}
