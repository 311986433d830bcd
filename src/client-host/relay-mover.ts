/**
 * The binding of failover (client/failover.ts, docs/PROTOCOL-v2.md section 16): when the relay stops
 * acknowledging us, a link and a v2 carrier to the next relay of the list replace ChatClient's, and the
 * new session opens with `/resume` (or `/join`). It also asks for the tickets, keeps them out of the
 * session's sight, and says again what the lost relay had not acknowledged. ChatClient hands it a narrow
 * view of itself (MoverHost) and asks it at each step; every decision is Failover's or the session's.
 */
import type { ClientEvent, SayError, SessionOutput } from '../client/events.ts';
import { Failover, type RelayTarget, relayName } from '../client/failover.ts';
import type { CarrierEvent, CarrierOutput, LineCarrier } from '../client/line-carrier.ts';
import type { ClientSession } from '../client/session.ts';
import { decodeLenient, encodeLine } from '../protocol/codec.ts';
import { nickInUse } from '../protocol/messages.ts';
import { TICKET_REFUSED } from '../protocol/resume-messages.ts';
import type { RandomSource } from '../protocol/v2/crypto.ts';
import type { V2Refusal } from '../session/client-connection-types.ts';
import type { RelayLink } from '../transport/relay-link.ts';
import type { CancelTimer, TimerScheduler } from '../transport/system-timers.ts';
import type { MovedEvent, MoveFailedEvent, MovingEvent } from './chat-client-options.ts';

/**
 * A move's plain `/join` (no ticket yet) can be refused because the lost relay still holds our nick in the
 * cluster until its heartbeat lapses (docs/CLUSTER.md: within 20 s). It is tried again this often, for at
 * most this long after the first such refusal; then the refusal ends the session as any other would.
 */
export const HELD_NICK_RETRY_MS = 2_000;
export const HELD_NICK_RETRY_FOR_MS = 30_000;
/** A change of rooms asks for a fresh ticket this much later, so a burst of joins costs one `/ticket`. */
const TICKET_SETTLE_MS = 500;
/** When no relay of the list took us, the round of them starts again this much later. */
export const MOVE_RETRY_MS = 5_000;

/** What the mover may do to the client it serves. */
export interface MoverHost {
  readonly session: ClientSession;
  readonly timers: TimerScheduler;
  now(): number;
  closed(): boolean;
  link(): RelayLink;
  carrier(): LineCarrier;
  /** The new relay's link and carrier take the place of the old ones. */
  replace(link: RelayLink, carrier: LineCarrier): void;
  /** The session's output through the current carrier; the ids the relay will acknowledge. */
  apply(output: SessionOutput): (number | null)[];
  carry(output: CarrierOutput): void;
  emit(event: MovingEvent | MovedEvent | MoveFailedEvent): void;
  /** The relay moved to was refused (its identity): report it as `relay-skipped`. */
  skipped(target: RelayTarget, refusal: V2Refusal): void;
  schedule(): void;
}

export interface MoverSetup {
  readonly relays: readonly RelayTarget[];
  readonly random: RandomSource;
  readonly openLink: (target: RelayTarget) => Promise<RelayLink>;
  /**
   * A v2 carrier to `target` whose line ids start at `epoch` (so they never repeat the old carrier's),
   * checking `target`'s own pin (docs/PROTOCOL-v2.md, 16).
   */
  readonly newCarrier: (epoch: number, target: RelayTarget) => LineCarrier;
}

export class RelayMover {
  readonly failover: Failover;
  /** When to ask the relay for a (fresh) resumption ticket; null when none is wanted. */
  private ticketDueAt: number | null = null;
  /** False once this relay said it offers no resumption (it has no cluster key); true again after a move. */
  private ticketsOffered = true;
  /** When to send the move's `/join` again after our nick was still held; null when not waiting. */
  private rejoinAt: number | null = null;
  /** The end of the retries of a held nick on this move; null before the first refusal. */
  private rejoinUntil: number | null = null;
  /** The relay we were on before a move (for the `moved` event). */
  private movedFrom = '';
  private cancelRetry: CancelTimer | undefined;

  constructor(
    private readonly host: MoverHost,
    private readonly setup: MoverSetup,
  ) {
    this.failover = new Failover(setup.relays, setup.random);
  }

  get current(): RelayTarget {
    return this.failover.current;
  }

  /** While moving: the relay being moved to (`host:port`), for the status bar; null otherwise. */
  get movingTo(): string | null {
    return this.failover.moving ? relayName(this.failover.current) : null;
  }

  /**
   * Why a line said now cannot wait for the new relay (too many already wait: it is refused rather than
   * dropped unseen), or null.
   */
  backlogFull(): SayError | null {
    const { failover } = this;
    if (!(failover.moving || failover.pacing)) return null;
    const { waiting, room } = failover.backlog();
    if (room > 0) return null;
    const message = `${waiting} lines are waiting for the move to another relay; this one was not sent`;
    return { code: 'move-backlog', message };
  }

  /**
   * Lines said while moving wait for the new relay's welcome, and after it behind the carried-over ones:
   * null when they are to be sent now, else the ids say() gives those it kept (backlogFull() first tells
   * whether there is room).
   */
  holds(output: SessionOutput): number[] | null {
    const { failover } = this;
    if (!(failover.moving || failover.pacing) || output.datagrams.length === 0) return null;
    const ids: number[] = [];
    for (const datagram of output.datagrams) {
      const id = failover.moving ? failover.hold(datagram) : failover.queue(datagram);
      if (id !== null) ids.push(id);
    }
    return ids;
  }

  /** Lines sent, with the ids the relay will acknowledge them by: a move says again the unacknowledged. */
  sent(output: SessionOutput, ids: readonly (number | null)[]): void {
    if (!this.failover.enabled) return;
    ids.forEach((id, i) => {
      const datagram = output.datagrams[i];
      if (typeof id === 'number' && datagram !== undefined) this.failover.sent(id, datagram);
    });
  }

  /**
   * A relay line before the session sees it; false when the session must not. A ticket is kept and never
   * shown (it is ours alone), as is the refusal of our own `/ticket`; an answer to `/resume` is followed
   * (and shown: it tells the user what happened).
   */
  relayLine(bytes: Uint8Array): boolean {
    if (!this.failover.enabled) return true;
    const now = this.host.now();
    for (const line of decodeLenient(bytes)) {
      if (this.failover.tickets.take(now, line)) return false;
      if (this.heldNick(now, line)) return false;
      if (line === TICKET_REFUSED) {
        this.ticketsOffered = false;
        return false;
      }
      const answer = this.failover.answer(line);
      if (answer?.kind === 'refused') {
        this.failover.tickets.drop();
        this.host.apply(this.host.session.joinHere(now));
      } else if (answer?.kind === 'resumed') this.host.session.restored(now, answer.rooms);
    }
    return true;
  }

  /** The id the caller knows our line `id` by (said again or said late after a move, it has a new one). */
  callerId(id: number): number {
    return this.failover.settled(id);
  }

  /** A carrier event before ChatClient reports it; true when it belonged to a move and is not reported. */
  carrierEvent(event: CarrierEvent): boolean {
    if (event.type === 'acked') this.failover.acked(event.id);
    if (this.failover.phase === 'connecting' && event.type === 'protocol') {
      this.sessionUp();
      return true;
    }
    if (this.failover.phase === 'connecting' && event.type === 'no-v2') {
      void this.move();
      return true;
    }
    if (this.failover.phase === 'connecting' && event.type === 'relay-refused') {
      // It proved another key than its pin: not one line goes to it, the next relay is tried (section 16).
      this.host.skipped(this.failover.current, event.refusal);
      void this.move();
      return true;
    }
    if (event.type === 'stalled' && this.failover.enabled && !this.failover.moving) {
      const state = this.host.session.state;
      if (state === 'joined' || state === 'reconnecting') void this.move();
    }
    return false;
  }

  /** A session event, after ChatClient reported it. */
  sessionEvent(event: ClientEvent): void {
    if (event.type === 'welcome') this.welcomed();
    else if (event.type === 'rooms' && this.ticketDueAt === null && this.failover.tickets.holds)
      this.ticketDueAt = this.host.now() + TICKET_SETTLE_MS;
  }

  /** ChatClient's timer fired: a ticket to ask for, carried-over lines due. */
  tick(now: number): void {
    const refreshAt = this.failover.tickets.refreshAt();
    if (refreshAt !== null && now >= refreshAt && this.ticketDueAt === null) this.ticketDueAt = now;
    if (this.ticketDueAt !== null && now >= this.ticketDueAt) this.askTicket(now);
    if (this.rejoinAt !== null && now >= this.rejoinAt) {
      this.rejoinAt = null;
      this.host.apply(this.host.session.joinHere(now));
    }
    this.sendQueued(now);
  }

  /** The deadlines ChatClient's one timer must also serve. */
  deadlines(): (number | null)[] {
    return [this.ticketDueAt, this.rejoinAt, this.failover.tickets.refreshAt(), this.failover.nextDueAt()];
  }

  close(): void {
    this.cancelRetry?.();
    this.cancelRetry = undefined;
  }

  private sendQueued(now: number): void {
    for (const line of this.failover.due(now)) {
      const [id] = this.host.apply({ datagrams: [line.datagram], events: [] });
      if (typeof id === 'number' && this.failover.enabled) this.failover.sent(id, line.datagram, line.id);
    }
  }

  /** `/ticket` on a joined v2 session of a client that has somewhere to move to. */
  private askTicket(now: number): void {
    this.ticketDueAt = null;
    if (!this.failover.enabled || this.failover.moving || !this.ticketsOffered) return;
    const carrier = this.host.carrier();
    if (carrier.current !== 'v2' || this.host.session.state !== 'joined') return;
    this.host.carry(carrier.send(now, [encodeLine(this.failover.tickets.request(now))]).out);
  }

  /** The relay stopped acknowledging us: move to the next relay of the list. */
  private async move(): Promise<void> {
    const { host, failover } = this;
    if (host.closed() || (failover.moving && failover.phase !== 'connecting')) return;
    const from = host.link().label;
    this.rejoinAt = null;
    this.rejoinUntil = null;
    const target = failover.begin();
    if (target === null) {
      host.emit({ type: 'move-failed', tried: failover.relays.length });
      // Never given up: a relay of the list may come back (restarted), so the round starts again.
      this.cancelRetry = host.timers(MOVE_RETRY_MS, () => {
        this.cancelRetry = undefined;
        failover.tryAllAgain();
        void this.move();
      });
      return;
    }
    if (this.movedFrom === '') this.movedFrom = from;
    this.ticketDueAt = null;
    host.apply(host.session.moving(host.now()));
    const old = host.link();
    let link: RelayLink;
    try {
      link = await this.setup.openLink(target);
    } catch {
      // The next relay cannot even be resolved: try the one after it.
      return this.move();
    }
    void old.close();
    if (host.closed()) {
      await link.close();
      return;
    }
    const carrier = this.setup.newCarrier(host.carrier().nextEpoch, target);
    host.replace(link, carrier);
    this.ticketsOffered = true;
    host.emit({ type: 'moving', from, to: link.label });
    host.carry(carrier.start(host.now()));
  }

  /**
   * During a move, the refusal of our nick as in use is not the end: the lost relay may still hold it, so
   * the join is sent again shortly (not shown to the session), until HELD_NICK_RETRY_FOR_MS have passed.
   */
  private heldNick(now: number, line: string): boolean {
    if (!this.failover.moving || line !== nickInUse(this.host.session.nick)) return false;
    this.rejoinUntil ??= now + HELD_NICK_RETRY_FOR_MS;
    if (now >= this.rejoinUntil) return false;
    this.rejoinAt = now + HELD_NICK_RETRY_MS;
    this.host.schedule();
    return true;
  }

  /** The new relay's v2 session is up: open it with `/resume`, or a plain `/join` without a ticket. */
  private sessionUp(): void {
    const { host } = this;
    const now = host.now();
    const carrier = host.carrier();
    const sessionKey = carrier.sessionKey;
    const line = sessionKey === null ? null : this.failover.established(sessionKey);
    if (line === null) {
      host.apply(host.session.joinHere(now));
      return;
    }
    host.session.resumeSent(now);
    host.carry(carrier.send(now, [encodeLine(line)]).out);
  }

  /** Welcomed (again): after a move, say the carried-over lines; over v2, ask for a ticket. */
  private welcomed(): void {
    const { host } = this;
    const now = host.now();
    this.rejoinAt = null;
    this.rejoinUntil = null;
    if (this.failover.moving) {
      const refused = this.failover.refusedBecause;
      const { resumed, resent } = this.failover.welcomed(now);
      this.sendQueued(now);
      const from = this.movedFrom;
      this.movedFrom = '';
      host.emit({ type: 'moved', from, to: host.link().label, resumed, refused, resent });
    }
    if (this.failover.enabled) this.ticketDueAt = now;
    host.schedule();
  }
}
