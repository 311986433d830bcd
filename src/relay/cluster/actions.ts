/**
 * What the core asks of the cluster bus, as outputs like datagrams and tasks: the binding (relay-host/)
 * runs each on the bus (which is async and may be a server away) and feeds what comes back into the core
 * (`Relay.clusterEventInto`, `clusterClaimedInto`, `clusterMembersInto`, `clusterStatusInto`).
 */
import type { DirectLineInput, PresenceReason, RoomChange } from '../cluster-bus.ts';
import type { RoomLineInput } from '../store.ts';

export type ClusterAction =
  /** A room line for the cluster to number; every relay (this one included) hears it back as an event. */
  | { readonly type: 'line'; readonly line: RoomLineInput }
  /** A private line to a nick another relay serves. */
  | { readonly type: 'direct'; readonly line: DirectLineInput }
  /**
   * A cluster-wide nick claim; answered with `Relay.clusterClaimedInto(now, id, claim)`. `takeover` is set
   * for a proven resumption (resume/restore.ts): the bus's `claimNick(..., { takeover: true })`.
   */
  | {
      readonly type: 'claim';
      readonly id: number;
      readonly nickKey: string;
      readonly nick: string;
      readonly takeover?: boolean;
    }
  | { readonly type: 'release'; readonly nickKey: string }
  | {
      readonly type: 'join';
      readonly roomKey: string;
      readonly nickKey: string;
      readonly nick: string;
      readonly reason: PresenceReason;
      /** The bus makes the member the room's operator if the room has no member on any relay. */
      readonly firstOperator: boolean;
    }
  | {
      readonly type: 'leave';
      readonly roomKey: string;
      readonly nickKey: string;
      readonly reason: PresenceReason;
    }
  /** A room's state changed here (topic, mode, operator, ban, invitation, kick); every relay applies it. */
  | { readonly type: 'room'; readonly roomKey: string; readonly by: string; readonly change: RoomChange }
  /** The room's members on every relay, wanted now (a room's first local member, a reconnect, a gap). */
  | { readonly type: 'members'; readonly roomKey: string };
