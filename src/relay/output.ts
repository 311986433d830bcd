/** What the relay core asks its binding to do: datagrams to send, slow work to run, and events. */
import type { Address } from '../protocol/address.ts';
import type { AccountRecord } from './accounts.ts';
import type { ClusterAction } from './cluster/actions.ts';
import type { SessionPeer } from './peer.ts';
import type { HistoryQuery } from './store.ts';

export interface Transmit {
  readonly to: Address;
  /** Shared between the recipients of one broadcast: encoded once, never mutated. */
  readonly payload: Uint8Array;
}

/**
 * Work too slow for the receive loop. The binding runs it and reports back with `Relay.secretChecked`.
 * The secret lives only in this object: it is never logged, traced or kept after the check.
 */
export interface CheckSecretTask {
  readonly type: 'check-secret';
  readonly id: number;
  readonly record: AccountRecord;
  readonly secret: string;
}

/**
 * A history query (/history, history on join, a gap fill): the binding asks the store and answers with
 * `Relay.historyAnswered`. A store may be a server away (a cluster back end), so it is never asked inline.
 */
export interface HistoryTask {
  readonly type: 'history';
  readonly id: number;
  readonly roomKey: string;
  readonly query: HistoryQuery;
}

export type RelayTask = CheckSecretTask | HistoryTask;

/** A task as the core asks for it, before the outbox gives it its id. */
export type TaskRequest = Omit<CheckSecretTask, 'id'> | Omit<HistoryTask, 'id'>;

export type RefusalReason =
  | 'not-joined'
  | 'nick-in-use'
  | 'nick-invalid'
  | 'already-joined'
  | 'line-too-long'
  | 'invalid-utf8'
  | 'datagram-too-large'
  | 'too-many-lines'
  | 'nothing-printable'
  | 'unknown-command'
  | 'usage'
  | 'no-such-nick'
  | 'no-such-room'
  | 'not-in-room'
  | 'room-invalid'
  | 'throttled'
  | 'too-many-from-address'
  | 'rate-limited'
  | 'auth-failed'
  | 'not-operator'
  | 'banned'
  | 'invite-only'
  | 'no-ticket'
  | 'resume-refused';

export type IgnoreReason =
  | 'own-address'
  | 'unreplyable-source'
  | 'reply-limited'
  | 'relay-output'
  | 'throttled';

export type DepartureReason = 'left' | 'timed out' | 'killed';

export type RelayEvent =
  | { readonly type: 'joined'; readonly address: Address; readonly nick: string }
  | {
      readonly type: 'departed';
      readonly address: Address;
      readonly nick: string;
      readonly reason: DepartureReason;
    }
  | {
      readonly type: 'relayed';
      readonly address: Address;
      readonly nick: string;
      readonly recipients: number;
    }
  | { readonly type: 'refused'; readonly address: Address; readonly reason: RefusalReason }
  | { readonly type: 'ignored'; readonly address: Address; readonly reason: IgnoreReason };

export interface RelayOutput {
  readonly transmits: Transmit[];
  readonly events: RelayEvent[];
  readonly tasks: RelayTask[];
}

export function emptyOutput(): RelayOutput {
  return { transmits: [], events: [], tasks: [] };
}

/**
 * Where the core puts what it decides, as it decides it. The socket binding passes a sink that sends at
 * once (no per-datagram arrays on the hot path); `collectingSink` gathers a `RelayOutput` for tests.
 */
export interface RelaySink {
  transmit(to: Address, payload: Uint8Array): void;
  event(event: RelayEvent): void;
  task(task: RelayTask): void;
  /**
   * Server keep-alive for a session peer whose transport has its own ping (a v2 session: a PING frame).
   * Without it, the core sends the v1 `/ping` line, which is what a v1 client answers.
   */
  keepalive?(peer: SessionPeer): void;
  /** A change for the cluster bus (cluster/actions.ts); only a relay in a cluster writes them. */
  cluster?(action: ClusterAction): void;
}

export function collectingSink(output: RelayOutput): RelaySink {
  return {
    transmit: (to, payload) => output.transmits.push({ to, payload }),
    event: (event) => output.events.push(event),
    task: (task) => output.tasks.push(task),
  };
}
