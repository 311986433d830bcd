/**
 * Rooms in a cluster are one room on every relay: one created here takes the cluster's state for it, and
 * its operators are the cluster's. A client is made operator on entering when the cluster knows it as
 * one, never when the room already has members or operators on other relays (only the first member in
 * the whole cluster is), and otherwise by this relay's own rule (room-keeper.ts).
 */
import type { RoomPolicy } from '../room-table.ts';
import { adoptClusterState } from './moderation.ts';
import type { ClusterView } from './view.ts';

export function clusterRoomPolicy(cluster: ClusterView): RoomPolicy {
  return {
    created(room) {
      cluster.nameRoom(room.key, room.name);
      adoptClusterState(cluster.rooms, room);
    },
    operatorOnEntry(room, session) {
      const operators = cluster.rooms.get(room.key)?.operators;
      if (operators?.has(session.nickKey) === true) return true;
      if ((operators?.size ?? 0) > 0 || cluster.remoteCount(room.key) > 0) return false;
      return null;
    },
  };
}
