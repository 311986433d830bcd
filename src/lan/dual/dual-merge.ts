/**
 * DualMerge: a dual-path client (`chat --relay H:P --multicast G:P`) receives each room line twice, once
 * through the relay and once from the LAN group, and shows the first copy only. The two copies are
 * recognised as one line by what both paths carry unchanged: the speaker's nick, the kind (line or action)
 * and the sanitised text (docs/PROTOCOL.md, "Dual path", argues why not an id on the relay line).
 *
 * Each shown copy waits here for its twin from the other path for `windowMs`; a twin that comes is
 * dropped and consumes the wait, so a nick saying the same words twice is shown twice. A relay line from
 * history (a gap fill after the relay came back) only consumes a LAN copy: a history line has no later
 * twin to wait for. Pure state on an injected `now`: bounded in count and in time.
 */
import { lookalikeKey } from '../../protocol/lookalike.ts';

export type CopyPath = 'lan' | 'relay';

/** One room line as either path shows it. */
export interface SpokenLine {
  /** The speaker's nick; a LAN collision suffix (`bob#3c9a`) is ignored. */
  readonly nick: string;
  readonly text: string;
  readonly action: boolean;
}

export interface DualMergeOptions {
  /** How long a shown copy waits for its twin. */
  readonly windowMs?: number;
  /** At most this many copies wait at once; the oldest is forgotten first. */
  readonly maxWaiting?: number;
}

export interface DualMergeStats {
  /** Copies shown (the first of each line). */
  shown: number;
  /** Second copies dropped. */
  merged: number;
  /** Copies that waited out the window, or were pushed out by the bound, without a twin. */
  unpaired: number;
}

/**
 * Long enough to span a relay outage: lines said on the LAN while the relay was away come back through
 * the relay (re-sent, or in the gap fill) when it returns, and must still find their first copy.
 */
export const DEFAULT_MERGE_WINDOW_MS = 15 * 60_000;
/** A few minutes of a busy room; each entry is a nick and a line of at most 1,024 characters. */
export const DEFAULT_MAX_WAITING = 4096;

interface Waiting {
  readonly key: string;
  readonly path: CopyPath;
  readonly until: number;
  paired: boolean;
}

export class DualMerge {
  readonly stats: DualMergeStats = { shown: 0, merged: 0, unpaired: 0 };
  private readonly windowMs: number;
  private readonly maxWaiting: number;
  private readonly byKey = new Map<string, Waiting[]>();
  /** Every waiting copy in arrival order, which is also expiry order (one window for all). */
  private readonly queue: Waiting[] = [];
  private head = 0;
  private live = 0;

  constructor(options: DualMergeOptions = {}) {
    this.windowMs = options.windowMs ?? DEFAULT_MERGE_WINDOW_MS;
    this.maxWaiting = options.maxWaiting ?? DEFAULT_MAX_WAITING;
  }

  /** Copies waiting for their twin now. */
  get waiting(): number {
    return this.live;
  }

  /** A live copy arrived by `path`: true to show it (its twin was not shown), false to drop it. */
  admit(now: number, path: CopyPath, line: SpokenLine): boolean {
    this.expire(now);
    const key = lineKey(line);
    if (this.pair(key, path)) return false;
    this.wait({ key, path, until: now + this.windowMs, paired: false });
    this.stats.shown++;
    return true;
  }

  /** A line from the relay's history: dropped only if its LAN copy was shown; it waits for nothing. */
  admitHistory(now: number, line: SpokenLine): boolean {
    this.expire(now);
    if (this.pair(lineKey(line), 'relay')) return false;
    this.stats.shown++;
    return true;
  }

  /** Consumes the oldest waiting copy of `key` from the other path, if there is one. */
  private pair(key: string, arriving: CopyPath): boolean {
    const list = this.byKey.get(key);
    const index = list?.findIndex((entry) => entry.path !== arriving) ?? -1;
    if (list === undefined || index < 0) return false;
    const [twin] = list.splice(index, 1);
    if (list.length === 0) this.byKey.delete(key);
    if (twin !== undefined) twin.paired = true;
    this.live--;
    this.stats.merged++;
    return true;
  }

  private wait(entry: Waiting): void {
    if (this.live >= this.maxWaiting) this.forgetOldest();
    const list = this.byKey.get(entry.key);
    if (list === undefined) this.byKey.set(entry.key, [entry]);
    else list.push(entry);
    this.queue.push(entry);
    this.live++;
  }

  private expire(now: number): void {
    while (this.head < this.queue.length) {
      const oldest = this.queue[this.head] as Waiting;
      if (!oldest.paired && oldest.until > now) break;
      this.drop();
    }
    this.compact();
  }

  private forgetOldest(): void {
    while (this.head < this.queue.length) {
      const wasLive = !(this.queue[this.head] as Waiting).paired;
      this.drop();
      if (wasLive) break;
    }
    this.compact();
  }

  /** Takes the queue's head out; a copy still unpaired is forgotten. */
  private drop(): void {
    const oldest = this.queue[this.head] as Waiting;
    this.head++;
    if (oldest.paired) return;
    oldest.paired = true;
    this.live--;
    this.stats.unpaired++;
    const list = this.byKey.get(oldest.key);
    const index = list?.indexOf(oldest) ?? -1;
    if (list === undefined || index < 0) return;
    list.splice(index, 1);
    if (list.length === 0) this.byKey.delete(oldest.key);
  }

  /** Drops the consumed front of the queue once it is most of the array. */
  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }
}

/** Kind, nick (look-alikes folded, any `#abcd` collision suffix removed) and text: what both paths carry. */
function lineKey(line: SpokenLine): string {
  const hash = line.nick.indexOf('#');
  const nick = hash < 0 ? line.nick : line.nick.slice(0, hash);
  return `${line.action ? '*' : '<'}${lookalikeKey(nick)}\u0000${line.text.trim()}`;
}
