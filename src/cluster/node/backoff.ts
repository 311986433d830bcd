/** Waits that double from `first` up to `max`, and start again after a success. */
export class Backoff {
  private next: number;

  constructor(
    private readonly first: number,
    private readonly max: number,
  ) {
    this.next = first;
  }

  /** The wait before the next attempt. */
  take(): number {
    const wait = this.next;
    this.next = Math.min(this.next * 2, this.max);
    return wait;
  }

  reset(): void {
    this.next = this.first;
  }
}
