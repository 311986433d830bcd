/**
 * A deterministic in-memory network for two ReliableChannels, A and B (quinn-proto's test style):
 * no sockets, no clock. Time jumps to the earliest of the next datagram
 * arrival, either channel's nextTimeout() and the next line an application offers. A seeded mulberry32 per
 * direction decides, per DATA, loss, duplication, reordering (extra delay) and delay with jitter, so every
 * run is reproducible from its seed.
 */
import { deriveSeed, mulberry32, type RandomSource } from '../../../src/chaos/prng.ts';
import type { AckInfo, Frame } from '../../../src/protocol/v2/frames.ts';
import { type ChannelEvents, type Outgoing, ReliableChannel } from '../../../src/session/reliable/channel.ts';
import type { ReliableOptions } from '../../../src/session/reliable/options.ts';

/** How one direction treats each DATA. Probabilities in [0, 1]; times in ms. */
export interface LinkProfile {
  readonly loss: number;
  readonly duplicate: number;
  /** A reordered DATA is held back by an extra 1 to 3 delays, so later ones overtake it. */
  readonly reorder: number;
  readonly delayMs: number;
  /** Each copy's delay is delayMs ± up to jitterMs (never below 0). */
  readonly jitterMs: number;
}

/** A link may change over time (an outage is a profile with loss 1 for a while). */
export type Link = LinkProfile | ((now: number) => LinkProfile);

export type Side = 'A' | 'B';

/** A line as the receiving application saw it. */
export interface Arrival {
  readonly seq: number;
  readonly text: string;
  readonly at: number;
}

export interface Gap {
  readonly seq: number;
  readonly count: number;
  readonly at: number;
}

interface InTransit {
  readonly at: number;
  readonly order: number;
  readonly to: Side;
  readonly ack: AckInfo;
  readonly frames: readonly Frame[];
}

interface Offer {
  readonly text: string;
  readonly at: number;
}

/** One side: its channel, its application's outbox, and what its application saw. */
export class Endpoint {
  readonly channel: ReliableChannel;
  readonly outbox: Offer[] = [];
  /** Send time (when send() accepted it) of each of our lines, by seq. */
  readonly acceptedAt = new Map<number, number>();
  readonly arrivals: Arrival[] = [];
  readonly gaps: Gap[] = [];
  readonly failed: { seq: number; at: number }[] = [];
  datagramsSent = 0;

  constructor(options: Partial<ReliableOptions>) {
    this.channel = new ReliableChannel(options);
  }

  record(now: number, events: ChannelEvents): void {
    for (const item of events.delivered) {
      if (item.type === 'line') this.arrivals.push({ seq: item.seq, text: item.text, at: now });
      else this.gaps.push({ seq: item.seq, count: item.count, at: now });
    }
    for (const seq of events.failed) this.failed.push({ seq, at: now });
  }

  /** Offers due lines until the channel refuses one (queue full: it is offered again later). */
  offerDue(now: number): void {
    for (let head = this.outbox[0]; head !== undefined && head.at <= now; head = this.outbox[0]) {
      const result = this.channel.send(head.text);
      if (!result.ok) {
        if (result.reason === 'too-long') throw new Error(`line refused: ${head.text.length} chars`);
        return;
      }
      this.acceptedAt.set(result.seq, now);
      this.outbox.shift();
    }
  }

  /** The next offer still in the future (a refused one waits for the network instead). */
  nextOffer(now: number): number | null {
    const head = this.outbox[0];
    return head !== undefined && head.at > now ? head.at : null;
  }
}

export interface SimConfig {
  readonly seed: number;
  readonly aToB: Link;
  readonly bToA: Link;
  /** Both channels' options; `optionsA`/`optionsB` override them per side. */
  readonly options?: Partial<ReliableOptions>;
  readonly optionsA?: Partial<ReliableOptions>;
  readonly optionsB?: Partial<ReliableOptions>;
  /** Frame space poll() may fill per DATA (default: a full 1,200-byte datagram's). */
  readonly budgetBytes?: number;
}

export interface RunLimits {
  readonly maxSteps: number;
  readonly maxTimeMs: number;
  /** Called after every step, e.g. to assert memory bounds. */
  readonly onStep?: (sim: SimNetwork) => void;
}

export class SimNetwork {
  readonly a: Endpoint;
  readonly b: Endpoint;
  now = 0;
  steps = 0;
  lost = 0;
  duplicated = 0;
  readonly #links: Record<Side, Link>;
  readonly #random: Record<Side, RandomSource>;
  /** In flight on the wire, sorted by (at, order). */
  readonly #wire: InTransit[] = [];
  #order = 0;
  readonly #budgetBytes: number | undefined;

  constructor(config: SimConfig) {
    this.a = new Endpoint({ ...config.options, ...config.optionsA });
    this.b = new Endpoint({ ...config.options, ...config.optionsB });
    this.#budgetBytes = config.budgetBytes;
    // Keyed by the sending side: each direction draws from its own stream.
    this.#links = { A: config.aToB, B: config.bToA };
    this.#random = { A: mulberry32(deriveSeed(config.seed, 0)), B: mulberry32(deriveSeed(config.seed, 1)) };
  }

  endpoint(side: Side): Endpoint {
    return side === 'A' ? this.a : this.b;
  }

  /** Schedules `count` lines from `side`, one every `intervalMs` from `startMs`, named `${side}:${i}`. */
  offer(side: Side, count: number, startMs: number, intervalMs: number, firstIndex = 0): void {
    const outbox = this.endpoint(side).outbox;
    for (let i = 0; i < count; i += 1) {
      outbox.push({ text: `${side}:${firstIndex + i}`, at: startMs + i * intervalMs });
    }
  }

  get inTransit(): number {
    return this.#wire.length;
  }

  /** Runs until nothing is left to happen (no datagram, no timer, no offer), or throws past a limit. */
  run(limits: RunLimits): void {
    for (let at: number | null = this.now; at !== null; at = this.#nextEvent()) {
      this.steps += 1;
      if (this.steps > limits.maxSteps) throw new Error(`more than ${limits.maxSteps} steps`);
      if (at > limits.maxTimeMs) throw new Error(`still busy at ${at} ms (limit ${limits.maxTimeMs})`);
      this.now = Math.max(this.now, at);
      this.#step();
      limits.onStep?.(this);
    }
  }

  #step(): void {
    for (let head = this.#wire[0]; head !== undefined && head.at <= this.now; head = this.#wire[0]) {
      this.#wire.shift();
      const to = this.endpoint(head.to);
      to.record(this.now, to.channel.receive(this.now, head.ack, head.frames));
    }
    for (const side of ['A', 'B'] as const) {
      const endpoint = this.endpoint(side);
      endpoint.record(this.now, endpoint.channel.onTimeout(this.now));
      endpoint.offerDue(this.now);
      const poll = (): Outgoing | null => endpoint.channel.poll(this.now, this.#budgetBytes);
      for (let data = poll(); data !== null; data = poll()) {
        endpoint.datagramsSent += 1;
        this.#transmit(side, data);
      }
    }
  }

  #nextEvent(): number | null {
    const candidates = [
      this.#wire[0]?.at ?? null,
      this.a.channel.nextTimeout(),
      this.b.channel.nextTimeout(),
      this.a.nextOffer(this.now),
      this.b.nextOffer(this.now),
    ].filter((at): at is number => at !== null);
    return candidates.length === 0 ? null : Math.min(...candidates);
  }

  #transmit(from: Side, data: Outgoing): void {
    const link = this.#links[from];
    const profile = typeof link === 'function' ? link(this.now) : link;
    const random = this.#random[from];
    if (random() < profile.loss) {
      this.lost += 1;
      return;
    }
    const copies = random() < profile.duplicate ? 2 : 1;
    if (copies === 2) this.duplicated += 1;
    for (let copy = 0; copy < copies; copy += 1) {
      let delay = profile.delayMs + (random() * 2 - 1) * profile.jitterMs;
      if (random() < profile.reorder) delay += profile.delayMs * (1 + 2 * random());
      this.#enqueue({
        at: this.now + Math.max(0, delay),
        order: this.#order++,
        to: from === 'A' ? 'B' : 'A',
        ack: data.ack,
        frames: data.frames,
      });
    }
  }

  #enqueue(item: InTransit): void {
    let low = 0;
    let high = this.#wire.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const other = this.#wire[mid];
      if (other !== undefined && (other.at < item.at || (other.at === item.at && other.order < item.order))) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    this.#wire.splice(low, 0, item);
  }
}

/** The p-th percentile (0..100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

/** Each line's delivery latency: arrival at `to` minus send() acceptance at `from`. */
export function latencies(from: Endpoint, to: Endpoint): number[] {
  return to.arrivals.map((arrival) => arrival.at - (from.acceptedAt.get(arrival.seq) ?? Number.NaN));
}
