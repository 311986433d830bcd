/**
 * The Redis keys of one cluster, under a prefix (`udpchat:` unless told), named as the Lua scripts name
 * them (scripts/common.ts). docs/CLUSTER.md lists them with what each holds.
 */
export const DEFAULT_PREFIX = 'udpchat:';

export class ClusterKeys {
  constructor(readonly prefix: string = DEFAULT_PREFIX) {}

  get events(): string {
    return `${this.prefix}events`;
  }

  get nodes(): string {
    return `${this.prefix}nodes`;
  }

  /** The cluster's shared key (hex), set once with SET NX by the first relay that asks. */
  get clusterKey(): string {
    return `${this.prefix}cluster-key`;
  }

  /** Each room's moderation state: room key → JSON, changed by the apply script with each room event. */
  get roomStates(): string {
    return `${this.prefix}room-state`;
  }

  inbox(node: string): string {
    return `${this.prefix}inbox:${node}`;
  }

  node(node: string): string {
    return `${this.prefix}node:${node}`;
  }

  alive(node: string): string {
    return `${this.prefix}alive:${node}`;
  }

  roomLines(roomKey: string): string {
    return `${this.prefix}room:${roomKey}:lines`;
  }

  roomMembers(roomKey: string): string {
    return `${this.prefix}room:${roomKey}:members`;
  }
}
