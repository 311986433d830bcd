/**
 * When each v2 session needs the relay next. A session touched by a datagram, a line or a timer has
 * output to send at the next flush; after that flush its deadline (the earlier of its channel's timer,
 * a retransmission or a delayed ack, and the moment it has been silent too long) is filed in a heap.
 * So a flush costs O(log n) per session it sends for, and tick and nextTimeout cost only what is due,
 * however many sessions sit idle.
 */
import type { RelaySession } from '../relay-session.ts';
import type { V2RelaySink } from './sink.ts';
import type { V2RelayStats } from './stats.ts';
import { TimerHeap } from './timer-heap.ts';

const NONE: RelaySession[] = [];

export class SessionSchedule {
  private readonly touched = new Set<RelaySession>();
  private readonly deadlines = new TimerHeap<RelaySession>();

  constructor(
    private readonly idleTimeoutMs: number,
    /** Where the lines each flush re-sends are counted. */
    private readonly stats: Pick<V2RelayStats, 'retransmissions'>,
  ) {}

  /** `session` has changed (lines queued, a datagram in, a timer fired): flush it and re-file it. */
  touch(session: RelaySession): void {
    this.touched.add(session);
  }

  /** `session` is gone: nothing more to send or to wake for. */
  forget(session: RelaySession): void {
    this.touched.delete(session);
    this.deadlines.delete(session);
  }

  /**
   * Seals what the touched sessions have due and files their new deadlines. Returns the sessions whose
   * packet numbers are used up (all but the last, kept for their CLOSE 4), for the caller to end.
   */
  flush(now: number, sink: V2RelaySink): readonly RelaySession[] {
    // Called after every datagram: a cleared Set gets a new table, so clearing an empty one is garbage.
    if (this.touched.size === 0) return NONE;
    let exhausted: RelaySession[] = NONE;
    for (const session of this.touched) {
      const channel = session.link.channel;
      const before = channel.retransmissions;
      for (const datagram of session.link.drain(now)) sink.datagram(session.address, datagram);
      this.stats.retransmissions += channel.retransmissions - before;
      this.deadlines.set(session, this.deadlineOf(session));
      if (session.link.exhausted) exhausted = [...exhausted, session];
    }
    this.touched.clear();
    return exhausted;
  }

  /**
   * The sessions whose deadline is at or before `now`, taken out of the heap. The caller touches those it
   * keeps, so the flush that follows files them again.
   */
  takeDue(now: number): RelaySession[] {
    const due: RelaySession[] = [];
    for (let left = this.deadlines.size; left > 0; left--) {
      const first = this.deadlines.first;
      const at = this.deadlines.earliest;
      if (first === undefined || at === null || at > now) break;
      this.deadlines.delete(first);
      due.push(first);
    }
    return due;
  }

  /** The earliest deadline of any session, or null when there is none. */
  nextTimeout(): number | null {
    // A session touched since the last flush may have a new timer already (a line queued for it).
    if (this.touched.size > 0) {
      for (const session of this.touched) this.deadlines.set(session, this.deadlineOf(session));
    }
    return this.deadlines.earliest;
  }

  /** Its channel's next timer, or the first moment `tick` treats it as silent (`now - lastHeard > idle`). */
  private deadlineOf(session: RelaySession): number {
    const idle = session.lastHeard + this.idleTimeoutMs + 1;
    const channel = session.link.channel.nextTimeout();
    return channel === null || idle < channel ? idle : channel;
  }
}
