/**
 * Joins a worker's clients with a bounded number of joins in flight (every join makes the relay announce
 * it to the room, so a flood of them would mostly measure that), re-sending a join that got no welcome,
 * as our chat client does (protocol: a repeated /join of the same nick is welcomed again).
 */

import type { JoinReply, WorkerSetup } from '../messages.ts';
import { benchNick, idleRoom } from '../model/plan.ts';
import type { Fleet } from './fleet.ts';

const RETRY_AFTER_MS = 2_000;
const MAX_ATTEMPTS = 10;
const CHECK_EVERY_MS = 100;

// 0: not sent yet (the arrays start zeroed).
const PENDING = 1;
const JOINED = 2;
const FAILED = 3;

export class Joiner {
  private readonly state: Uint8Array;
  private readonly sentAt: Float64Array;
  private readonly attempts: Uint8Array;
  private next = 0;
  private pending = 0;
  private joined = 0;
  private failed = 0;
  private finish: ((result: JoinReply) => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly fleet: Fleet,
    private readonly setup: WorkerSetup,
  ) {
    this.state = new Uint8Array(fleet.size);
    this.sentAt = new Float64Array(fleet.size);
    this.attempts = new Uint8Array(fleet.size);
  }

  /** Resolves when every client is joined or has given up. */
  run(): Promise<JoinReply> {
    return new Promise((resolve) => {
      this.finish = resolve;
      this.fill();
      this.timer = setInterval(() => this.check(), CHECK_EVERY_MS);
      this.settleIfDone();
    });
  }

  /** Client `local` was welcomed. */
  welcomed(local: number): void {
    if (this.state[local] !== PENDING) return;
    this.state[local] = JOINED;
    this.pending--;
    this.joined++;
    this.fill();
    this.settleIfDone();
  }

  isJoined(local: number): boolean {
    return this.state[local] === JOINED;
  }

  private fill(): void {
    while (this.pending < this.setup.joinWindow && this.next < this.fleet.size) {
      const local = this.next++;
      this.state[local] = PENDING;
      this.pending++;
      this.sendJoin(local);
    }
  }

  private check(): void {
    const now = performance.now();
    for (let local = 0; local < this.next; local++) {
      if (this.state[local] !== PENDING || now - (this.sentAt[local] ?? 0) < RETRY_AFTER_MS) continue;
      if ((this.attempts[local] ?? 0) >= MAX_ATTEMPTS) {
        this.state[local] = FAILED;
        this.pending--;
        this.failed++;
      } else this.sendJoin(local);
    }
    this.fill();
    this.settleIfDone();
  }

  private sendJoin(local: number): void {
    this.sentAt[local] = performance.now();
    this.attempts[local] = (this.attempts[local] ?? 0) + 1;
    this.fleet.send(local, joinDatagram(this.setup, this.setup.firstClient + local));
  }

  private settleIfDone(): void {
    if (this.joined + this.failed < this.fleet.size || this.finish === undefined) return;
    clearInterval(this.timer);
    this.finish({ joined: this.joined, failed: this.failed });
    this.finish = undefined;
  }
}

/**
 * A plain join, or for a parked (idle) client a join that moves it straight from #lobby into a small room:
 * the relay handles the lines of one datagram in order, so #lobby never holds the parked clients and a
 * join is announced to a few room members instead of to everyone already joined.
 */
export function joinDatagram(setup: WorkerSetup, index: number): string {
  const nick = benchNick(index);
  if (setup.idleRoomSize <= 0) return `/join ${nick}\n`;
  return `/join ${nick}\n/join ${idleRoom(index, setup.idleRoomSize)}\n/part #lobby\n`;
}
