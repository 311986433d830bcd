/**
 * The conversation's bookkeeping, pure: every line sent (who, which, when) and every line received (by
 * whom, when), and from that what a transport did to them: lines lost, duplicated, delivered out of
 * order, and the latency of the rest.
 */

export interface DeliveryFigures {
  /** Deliveries the conversation should make: each line to every other client. */
  readonly expected: number;
  readonly delivered: number;
  readonly lost: number;
  readonly duplicated: number;
  /** Deliveries of a line after a later line from the same sender, to the same receiver. */
  readonly outOfOrder: number;
  /** Milliseconds from send to receipt. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export class DeliveryTally {
  private readonly sentAt = new Map<string, number>();
  /** receiver -> sender -> highest line number seen, and every (line) seen. */
  private readonly seen = new Map<string, Map<string, { top: number; lines: Set<number> }>>();
  private readonly latencies: number[] = [];
  private duplicates = 0;
  private reordered = 0;
  private deliveredCount = 0;

  constructor(
    private readonly clients: number,
    private readonly linesPerClient: number,
  ) {}

  get delivered(): number {
    return this.deliveredCount;
  }

  get expected(): number {
    return this.clients * this.linesPerClient * (this.clients - 1);
  }

  sent(sender: string, line: number, at: number): void {
    this.sentAt.set(`${sender} ${line}`, at);
  }

  received(receiver: string, sender: string, line: number, at: number): void {
    const sentAt = this.sentAt.get(`${sender} ${line}`);
    if (sentAt === undefined || receiver === sender) return;
    let bySender = this.seen.get(receiver);
    if (bySender === undefined) {
      bySender = new Map();
      this.seen.set(receiver, bySender);
    }
    let record = bySender.get(sender);
    if (record === undefined) {
      record = { top: -1, lines: new Set() };
      bySender.set(sender, record);
    }
    if (record.lines.has(line)) {
      this.duplicates++;
      return;
    }
    record.lines.add(line);
    if (line < record.top) this.reordered++;
    record.top = Math.max(record.top, line);
    this.deliveredCount++;
    this.latencies.push(at - sentAt);
  }

  figures(): DeliveryFigures {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return {
      expected: this.expected,
      delivered: this.deliveredCount,
      lost: this.expected - this.deliveredCount,
      duplicated: this.duplicates,
      outOfOrder: this.reordered,
      p50Ms: quantile(sorted, 0.5),
      p99Ms: quantile(sorted, 0.99),
      maxMs: sorted.at(-1) ?? 0,
    };
  }
}

/** The nearest-rank quantile of sorted values (0 for none). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? 0;
}
