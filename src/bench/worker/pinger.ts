/**
 * Keeps every joined client alive the way our chat client does (`/ping` every 10 s), spread evenly over
 * the interval: client i is pinged at phase i / count of each interval, so a worker with 15,000 clients
 * sends a steady 1,500 pings a second instead of 15,000 at once.
 */
import { encodeLine } from '../../protocol/codec.ts';
import * as wire from '../../protocol/messages.ts';
import type { Fleet } from './fleet.ts';

const TICK_MS = 20;
const PING = Buffer.from(encodeLine(wire.PING));

export class Pinger {
  private readonly startedAt = performance.now();
  private pinged = 0;
  private readonly timer: NodeJS.Timeout;
  sent = 0;

  constructor(
    private readonly fleet: Fleet,
    private readonly intervalMs: number,
    private readonly isJoined: (local: number) => boolean,
  ) {
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    const count = this.fleet.size;
    if (count === 0 || this.intervalMs <= 0) return;
    const due = Math.floor(((performance.now() - this.startedAt) / this.intervalMs) * count);
    for (; this.pinged < due; this.pinged++) {
      const local = this.pinged % count;
      if (!this.isJoined(local)) continue;
      this.fleet.send(local, PING);
      this.sent++;
    }
  }
}
