/**
 * One fake clock for a whole simulation, and the only thing that makes it move: every timer any binding
 * arms (ChatClient's, RelayServer's) and every datagram in flight is an event in one queue ordered by
 * (time, arming order), so a run is a pure function of its seed. Time jumps from event to event, which is
 * why seconds of protocol take milliseconds of CPU.
 */
import type { Clock } from '../../src/transport/system-clock.ts';
import type { TimerScheduler } from '../../src/transport/system-timers.ts';

interface Scheduled {
  readonly at: number;
  readonly order: number;
  readonly run: () => void;
  cancelled: boolean;
}

export interface RunLimits {
  /** Stop as soon as this holds (checked after every event). */
  readonly until: () => boolean;
  /** Throw rather than simulate past this time, so a stuck run fails with a message. */
  readonly maxTimeMs: number;
  /** Throw after this many events, so a busy loop fails instead of hanging. */
  readonly maxSteps: number;
  /** What the error says about the state of the run. */
  readonly describe?: () => string;
}

export class SimClock {
  private current = 0;
  private order = 0;
  /** A binary min-heap on (at, order). */
  private readonly heap: Scheduled[] = [];
  steps = 0;

  /** The clock every binding in the simulation reads. */
  readonly clock: Clock = () => this.current;

  /** The timer every binding in the simulation arms. */
  readonly timers: TimerScheduler = (delayMs, callback) => this.after(delayMs, callback);

  get now(): number {
    return this.current;
  }

  /** Runs `run` at now + max(0, delayMs), after everything already due at that time; returns a cancel. */
  after(delayMs: number, run: () => void): () => void {
    const event: Scheduled = {
      at: this.current + Math.max(0, delayMs),
      order: this.order++,
      run,
      cancelled: false,
    };
    this.push(event);
    return () => {
      event.cancelled = true;
    };
  }

  /** Runs `run` at the absolute time `at` (or now, if that has passed). */
  at(at: number, run: () => void): () => void {
    return this.after(at - this.current, run);
  }

  /** Runs events in order until `limits.until()` holds; throws if the queue drains or a limit is passed. */
  run(limits: RunLimits): void {
    while (!limits.until()) {
      const event = this.pop();
      const state = (): string => (limits.describe ? `; ${limits.describe()}` : '');
      if (event === undefined) throw new Error(`nothing left to happen at ${this.current} ms${state()}`);
      if (event.at > limits.maxTimeMs)
        throw new Error(`still not done at ${limits.maxTimeMs} ms of simulated time${state()}`);
      this.steps++;
      if (this.steps > limits.maxSteps) throw new Error(`more than ${limits.maxSteps} events${state()}`);
      this.current = event.at;
      event.run();
    }
  }

  /** Runs every event due up to `at` (inclusive), then sets the clock to `at`. */
  advanceTo(at: number, maxSteps: number): void {
    for (let head = this.peek(); head !== undefined && head.at <= at; head = this.peek()) {
      this.pop();
      this.steps++;
      if (this.steps > maxSteps) throw new Error(`more than ${maxSteps} events`);
      this.current = head.at;
      head.run();
    }
    this.current = Math.max(this.current, at);
  }

  /** The earliest live event, left in the queue (cancelled ones before it are thrown away). */
  private peek(): Scheduled | undefined {
    while (this.heap[0]?.cancelled) this.removeTop();
    return this.heap[0];
  }

  private pop(): Scheduled | undefined {
    for (;;) {
      const top = this.removeTop();
      if (top === undefined || !top.cancelled) return top;
    }
  }

  private removeTop(): Scheduled | undefined {
    const top = this.heap[0];
    if (top === undefined) return undefined;
    const last = this.heap.pop() as Scheduled;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private push(event: Scheduled): void {
    this.heap.push(event);
    let i = this.heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(this.heap[i] as Scheduled, this.heap[parent] as Scheduled)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(start: number): void {
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < this.heap.length && before(this.heap[left] as Scheduled, this.heap[least] as Scheduled))
        least = left;
      if (right < this.heap.length && before(this.heap[right] as Scheduled, this.heap[least] as Scheduled))
        least = right;
      if (least === i) return;
      this.swap(i, least);
      i = least;
    }
  }

  private swap(a: number, b: number): void {
    const held = this.heap[a] as Scheduled;
    this.heap[a] = this.heap[b] as Scheduled;
    this.heap[b] = held;
  }
}

function before(a: Scheduled, b: Scheduled): boolean {
  return a.at < b.at || (a.at === b.at && a.order < b.order);
}
