/**
 * Rooms in a cluster are one room on every relay: one created here takes the cluster's state for it, and
 * its operators are the cluster's. A client is made operator on entering only when the cluster knows it
 * as one; never by what this relay has heard of the room's other members, which may be a round trip
 * old. The first member in the whole cluster is made operator by the bus's atomic join
 * (`firstOperator`), whose `operator` event this relay then applies (moderation.ts).
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
      return cluster.rooms.get(room.key)?.operators.has(session.nickKey) === true;
    },
  };
}
