/** What a command handler may do: the relay's state and its means of answering, nothing more. */
import type { Address } from '../protocol/address.ts';
import type { ClusterAction } from './cluster/actions.ts';
import type { ClusterView } from './cluster/view.ts';
import type { CommandInfo } from './commands/command-info.ts';
import type { RelaySettings } from './options.ts';
import type { DepartureReason, RefusalReason, RelayEvent, TaskRequest } from './output.ts';
import type { Resumption } from './resume/resumption.ts';
import type { RoomTable } from './room-table.ts';
import type { Room, Session } from './session.ts';
import type { SessionTable } from './session-table.ts';
import type { HistoryQuery } from './store.ts';
import type { KeyedTokenBuckets } from './token-bucket.ts';

export type { DepartureReason } from './output.ts';

/** A login waiting for the binding to check its secret. */
export interface PendingLogin {
  readonly from: Address;
  readonly nick: string;
  readonly key: string;
  readonly serverOperator: boolean;
}

/** A history query waiting for the store (history.ts). */
export interface PendingHistory {
  readonly session: Session;
  readonly roomKey: string;
  readonly roomName: string;
  readonly query: HistoryQuery;
  /** History on join: an empty answer sends nothing (not even the end marker). */
  readonly quietIfEmpty: boolean;
}

/** Per-host limits shared by the commands. */
export interface HostLimits {
  readonly joins: KeyedTokenBuckets;
  readonly nickChanges: KeyedTokenBuckets;
  readonly authFailures: KeyedTokenBuckets;
}

export interface RelayContext {
  /** The time of the datagram or tick being handled, in ms on the binding's monotonic clock. */
  readonly now: number;
  readonly settings: RelaySettings;
  readonly sessions: SessionTable;
  readonly rooms: RoomTable;
  readonly hostLimits: HostLimits;
  readonly pendingLogins: Map<number, PendingLogin>;
  /** History queries the store has not answered yet, by task id. */
  readonly pendingHistory: Map<number, PendingHistory>;
  /** Every command the relay dispatches, in the order /help lists them. */
  readonly commands: readonly CommandInfo[];
  /** Server time for a line's stamp, Unix ms (settings.wallClock, or `now` without one). */
  wallTime(): number;
  /** Sends one line to one address; replies to an address that has not joined are rate-limited. */
  reply(to: Address, line: string | Uint8Array, session: Session | undefined): void;
  /** Sends one line to a joined client. */
  send(session: Session, line: string | Uint8Array): void;
  /** Sends a line about `room` (prefixed with the room's name unless it is the lobby) to its members. */
  toRoom(room: Room, line: string, except?: Session): number;
  /** Sends a line once to everyone who shares at least one room with `session` (not to `session`). */
  toSharers(session: Session, line: string): number;
  /** Sends one line to every joined client. */
  toAll(line: string | Uint8Array): number;
  /** Sends a refusal line (rate-limited like any reply to an unjoined address) and records why. */
  refuse(to: Address, session: Session | undefined, reason: RefusalReason, line: string): void;
  /** Removes a session from every room and the table, and tells the people it shared rooms with, once. */
  depart(session: Session, reason: DepartureReason, detail?: string): void;
  emit(event: RelayEvent): void;
  /** What this relay knows of the rest of its cluster; null for a relay on its own. */
  readonly cluster: ClusterView | null;
  /** Resumption tickets (docs/PROTOCOL-v2.md, section 16); null when the binding gave no resumption key. */
  readonly resumption: Resumption | null;
  /** A change for the cluster bus (discarded without a cluster). */
  toCluster(action: ClusterAction): void;
  /** Queues slow work for the binding; returns the task's id. */
  schedule(task: TaskRequest): number;
}
