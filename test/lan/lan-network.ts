/**
 * An in-memory multicast group for LanPeer simulations: every datagram a peer sends goes to every member
 * (itself included, as IP_MULTICAST_LOOP does), each copy independently lost, duplicated or delayed, from
 * one seeded generator, so a run is reproducible from its seed. Time is simulated; nothing sleeps.
 */

import { mulberry32, type RandomSource } from '../../src/chaos/prng.ts';
import type { LanEvent, LanOutput } from '../../src/lan/events.ts';
import type { LanPeer } from '../../src/lan/lan-peer.ts';
import type { Address } from '../../src/protocol/address.ts';

export interface Faults {
  /** Probability that a copy is lost. */
  readonly loss: number;
  /** Probability that a copy arrives twice. */
  readonly duplicate: number;
  /** Each copy is delayed uniformly in [0, maxDelayMs): copies overtake each other. */
  readonly maxDelayMs: number;
  /** Probability that a copy is delayed by `lateDelayMs` instead: later than the reorder hold. */
  readonly late: number;
  readonly lateDelayMs: number;
}

export const NO_FAULTS: Faults = { loss: 0, duplicate: 0, maxDelayMs: 1, late: 0, lateDelayMs: 0 };

interface Member {
  readonly peer: LanPeer;
  readonly address: Address;
  readonly events: LanEvent[];
  /** A crashed member neither sends, receives nor ticks. */
  crashed: boolean;
}

interface InFlight {
  readonly at: number;
  readonly order: number;
  readonly to: Member;
  readonly from: Address;
  readonly bytes: Uint8Array;
}

/** Something a test schedules at a time: say a line, leave, crash. */
export type Action = (now: number) => void;

const MAX_STEPS = 2_000_000;

export class SimulatedGroup {
  readonly members: Member[] = [];
  faults: Faults = NO_FAULTS;
  now = 0;
  private readonly random: RandomSource;
  private inFlight: InFlight[] = [];
  private readonly actions: { at: number; order: number; run: Action }[] = [];
  private order = 0;

  constructor(seed: number) {
    this.random = mulberry32(seed);
  }

  add(peer: LanPeer): Member {
    const member: Member = {
      peer,
      address: { host: `10.0.0.${this.members.length + 1}`, port: 9999 },
      events: [],
      crashed: false,
    };
    this.members.push(member);
    return member;
  }

  at(time: number, run: Action): void {
    this.actions.push({ at: time, order: this.order++, run });
  }

  /** What a member's call returned: its events are kept, its datagrams sent to the group. */
  output(member: Member, output: LanOutput): void {
    member.events.push(...output.events);
    if (member.crashed) return;
    for (const bytes of output.datagrams) this.multicast(member, bytes);
  }

  /** Runs every action, delivery and tick due up to `until`. */
  runUntil(until: number): void {
    for (let step = 0; step < MAX_STEPS; step++) {
      const next = this.nextTime();
      if (next === null || next > until) {
        this.now = until;
        return;
      }
      this.now = Math.max(this.now, next);
      this.runDue();
    }
    throw new Error('simulation did not settle');
  }

  private nextTime(): number | null {
    const times: number[] = [];
    for (const action of this.actions) times.push(action.at);
    const first = this.inFlight[0];
    if (first !== undefined) times.push(first.at);
    for (const member of this.members) {
      const due = member.crashed ? null : member.peer.nextTickAt();
      if (due !== null) times.push(due);
    }
    return times.length === 0 ? null : Math.min(...times);
  }

  private runDue(): void {
    const now = this.now;
    const due = this.actions
      .filter((action) => action.at <= now)
      .sort((a, b) => a.at - b.at || a.order - b.order);
    this.actions.splice(0, this.actions.length, ...this.actions.filter((action) => action.at > now));
    for (const action of due) action.run(now);
    while (this.inFlight[0] !== undefined && this.inFlight[0].at <= now) {
      const copy = this.inFlight.shift();
      if (copy === undefined || copy.to.crashed) continue;
      this.output(copy.to, copy.to.peer.handle(now, copy.from, copy.bytes));
    }
    for (const member of this.members) {
      const tickAt = member.crashed ? null : member.peer.nextTickAt();
      if (tickAt !== null && tickAt <= now) this.output(member, member.peer.tick(now));
    }
  }

  private multicast(from: Member, bytes: Uint8Array): void {
    for (const to of this.members) {
      if (this.random() < this.faults.loss) continue;
      const copies = this.random() < this.faults.duplicate ? 2 : 1;
      for (let copy = 0; copy < copies; copy++) {
        const delay =
          this.random() < this.faults.late
            ? this.faults.lateDelayMs
            : Math.floor(this.random() * this.faults.maxDelayMs);
        this.enqueue({ at: this.now + delay, order: this.order++, to, from: from.address, bytes });
      }
    }
  }

  private enqueue(copy: InFlight): void {
    let index = this.inFlight.length;
    while (index > 0) {
      const before = this.inFlight[index - 1];
      if (before === undefined || before.at < copy.at || (before.at === copy.at && before.order < copy.order))
        break;
      index--;
    }
    this.inFlight.splice(index, 0, copy);
  }
}
