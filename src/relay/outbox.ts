/**
 * The relay core's way out: every line, event and task a call produces goes through here to the sink of
 * the call in progress. It is the sending half of RelayContext (Relay delegates to it): one line to one
 * client, a room's fan-out, everyone who shares a room, everyone, refusals, and the quit line of a
 * departure. Between calls the sink discards, so a stray write goes nowhere rather than to the last caller.
 */
import type { Address } from '../protocol/address.ts';
import { addressKey } from '../protocol/address.ts';
import { encodeLine } from '../protocol/codec.ts';
import {
  UNJOINED_REPLY_BURST,
  UNJOINED_REPLY_PER_SECOND,
  UNJOINED_REPLY_TRACKED,
} from '../protocol/limits.ts';
import * as wire from '../protocol/messages.ts';
import * as mod from '../protocol/moderation-messages.ts';
import type { ClusterAction } from './cluster/actions.ts';
import type { DepartureReason, RefusalReason, RelayEvent, RelaySink, TaskRequest } from './output.ts';
import { isSessionPeer } from './peer.ts';
import type { RoomTable } from './room-table.ts';
import type { Room, Session } from './session.ts';
import type { SessionTable } from './session-table.ts';
import { KeyedTokenBuckets } from './token-bucket.ts';

const DISCARD: RelaySink = { transmit: () => {}, event: () => {}, task: () => {} };

export class Outbox {
  private sink: RelaySink = DISCARD;
  private now = 0;
  private taskIds = 0;
  private readonly unjoinedReplies = new KeyedTokenBuckets(
    { burst: UNJOINED_REPLY_BURST, perSecond: UNJOINED_REPLY_PER_SECOND },
    UNJOINED_REPLY_TRACKED,
  );

  constructor(
    private readonly sessions: SessionTable,
    private readonly rooms: RoomTable,
  ) {}

  /** What the call starting at `now` produces goes to `sink`. */
  open(now: number, sink: RelaySink): void {
    this.now = now;
    this.sink = sink;
  }

  /** The call is over: anything written from now on is discarded. */
  close(): void {
    this.sink = DISCARD;
  }

  reply(to: Address, line: string | Uint8Array, session: Session | undefined): void {
    if (session === undefined && !isSessionPeer(to) && !this.unjoinedReplies.take(addressKey(to), this.now)) {
      this.sink.event({ type: 'ignored', address: to, reason: 'reply-limited' });
      return;
    }
    this.sink.transmit(to, typeof line === 'string' ? encodeLine(line) : line);
  }

  /** Server keep-alive: the transport's own ping for a session peer that has one, else the v1 line. */
  ping(session: Session, line: Uint8Array): void {
    const peer = session.address;
    if (this.sink.keepalive !== undefined && isSessionPeer(peer)) this.sink.keepalive(peer);
    else this.send(session, line);
  }

  send(session: Session, line: string | Uint8Array): void {
    this.sink.transmit(session.address, typeof line === 'string' ? encodeLine(line) : line);
  }

  toRoom(room: Room, line: string, except?: Session): number {
    const payload = encodeLine(wire.inRoom(room.name, line));
    let count = 0;
    for (const member of room.members) {
      if (member === except) continue;
      this.sink.transmit(member.address, payload);
      count++;
    }
    return count;
  }

  toSharers(session: Session, line: string): number {
    const payload = encodeLine(line);
    const told = new Set<Session>([session]);
    for (const room of session.rooms) {
      for (const member of room.members) {
        if (told.has(member)) continue;
        told.add(member);
        this.sink.transmit(member.address, payload);
      }
    }
    return told.size - 1;
  }

  toAll(line: string | Uint8Array): number {
    const payload = typeof line === 'string' ? encodeLine(line) : line;
    for (const session of this.sessions.values()) this.sink.transmit(session.address, payload);
    return this.sessions.size;
  }

  refuse(to: Address, session: Session | undefined, reason: RefusalReason, line: string): void {
    this.sink.event({ type: 'refused', address: to, reason });
    this.reply(to, line, session);
  }

  depart(session: Session, reason: DepartureReason, detail = ''): void {
    if (!this.sessions.remove(session)) return;
    // Everyone who shared a room hears it once.
    this.toSharers(session, departureLine(session.nick, reason, detail));
    for (const room of [...session.rooms]) this.rooms.removeMember(room, session);
    this.sink.event({ type: 'departed', address: session.address, nick: session.nick, reason });
  }

  emit(event: RelayEvent): void {
    this.sink.event(event);
  }

  toCluster(action: ClusterAction): void {
    this.sink.cluster?.(action);
  }

  schedule(task: TaskRequest): number {
    const id = ++this.taskIds;
    this.sink.task({ ...task, id });
    return id;
  }
}

/** The quit line, in the seed's wording for a plain leave and a time-out (`*** alice left ***`). */
export function departureLine(nick: string, reason: DepartureReason, detail: string): string {
  if (reason === 'killed') return mod.wasKilled(nick, detail);
  if (reason === 'timed out') return wire.timedOut(nick);
  return detail ? wire.roomParted(nick, detail) : wire.left(nick);
}
