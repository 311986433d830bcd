/**
 * The cluster's shared state on a Redis server (7.0 or newer), through `ioredis`: two connections, one
 * for commands and scripts and one for the blocking XREAD of the event stream (a blocked connection can
 * send nothing else). Neither queues commands while disconnected nor resends them after a reconnect:
 * the bus's outbox decides what is sent again, and the apply script recognises a resent batch.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import {
  type ClusterMember,
  type ClusterNode,
  type ClusterRoomSnapshot,
  SHARED_KEY_BYTES,
} from '../../relay/cluster-bus.ts';
import type { HistoryPage, HistoryQuery, RoomLine } from '../../relay/store.ts';
import type {
  BusOp,
  ClusterBackend,
  EventCursor,
  Joined,
  NodeIdentity,
  OpResult,
  ReadBatch,
} from '../backend.ts';
import { ClusterError } from '../bus-error.ts';
import { readMemberValue } from '../event-codec.ts';
import {
  EVENT_STREAM_CAP,
  INBOX_STREAM_CAP,
  LAST_BATCH_KEEP_MS,
  READ_COUNT,
  ROOM_STREAM_CAP,
} from '../limits.ts';
import { readRoomSnapshot } from '../room-state-codec.ts';
import { ClusterKeys } from './keys.ts';
import { classifyRedisError } from './redis-errors.ts';
import { readRoomHistory } from './redis-history.ts';
import { readEntries, strings } from './redis-replies.ts';
import { type RedisAddress, redactUrl } from './redis-url.ts';
import { Script } from './script-runner.ts';
import { APPLY_LUA } from './scripts/apply.ts';
import { GOODBYE_LUA } from './scripts/goodbye.ts';
import { HEARTBEAT_LUA } from './scripts/heartbeat.ts';
import { HELLO_LUA } from './scripts/hello.ts';
import { REAP_LUA } from './scripts/reap.ts';

export interface RedisBackendOptions {
  readonly address: RedisAddress;
  /** The URL as given, for messages (its password is redacted). */
  readonly url: string;
  readonly prefix?: string;
  readonly eventCap?: number;
  readonly roomLineCap?: number;
  /** The longest wait between two reconnection attempts (they start at 50 ms and double). */
  readonly maxRetryMs?: number;
}

const SCRIPTS = {
  hello: new Script(HELLO_LUA),
  apply: new Script(APPLY_LUA),
  heartbeat: new Script(HEARTBEAT_LUA),
  reap: new Script(REAP_LUA),
  goodbye: new Script(GOODBYE_LUA),
};

const DEFAULT_MAX_RETRY_MS = 2_000;
const COMMAND_TIMEOUT_MS = 3_000;
/** The longest a read may block: a bus asking for longer is cut to it. */
const MAX_READ_BLOCK_MS = 5_000;

export class RedisBackend implements ClusterBackend {
  private readonly keys: ClusterKeys;
  private readonly command: Redis;
  private readonly reader: Redis;
  private readonly where: string;
  /** A refusal the server gave during connection setup (credentials, database): fatal, said at hello. */
  private refusal: ClusterError | null = null;
  private lastError = 'not connected yet';
  private closed = false;

  constructor(private readonly options: RedisBackendOptions) {
    this.keys = new ClusterKeys(options.prefix);
    this.where = redactUrl(options.url);
    const maxRetryMs = options.maxRetryMs ?? DEFAULT_MAX_RETRY_MS;
    const connection: RedisOptions = {
      host: options.address.host,
      port: options.address.port,
      username: options.address.username,
      password: options.address.password,
      db: options.address.db,
      protocol: 2,
      lazyConnect: true,
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 5_000,
      retryStrategy: (attempt) =>
        this.closed ? null : Math.min(50 * 2 ** Math.min(attempt, 10), maxRetryMs),
    };
    // A reply that never comes (a connection dropped under a command) must not stall the outbox or the
    // reader for ever: past these times the command fails, the bus says hello again and resends.
    this.command = new Redis({ ...connection, commandTimeout: COMMAND_TIMEOUT_MS });
    this.reader = new Redis({ ...connection, commandTimeout: COMMAND_TIMEOUT_MS + MAX_READ_BLOCK_MS });
    for (const redis of [this.command, this.reader]) {
      redis.on('error', (error: unknown) => this.noteError(error));
    }
  }

  private noteError(error: unknown): void {
    const classified = classifyRedisError(error, this.where);
    this.lastError = classified.message;
    if (classified.code === 'auth' || classified.code === 'bad-url') this.refusal = classified;
  }

  private async connect(): Promise<void> {
    const waiting = [this.command, this.reader].filter((redis) => redis.status === 'wait');
    await Promise.all(waiting.map((redis) => redis.connect().catch(() => {})));
    if (this.refusal !== null) throw this.refusal;
    if (this.command.status !== 'ready' || this.reader.status !== 'ready') {
      throw new ClusterError('unavailable', this.lastError);
    }
  }

  private async run(script: Script, args: readonly (string | number)[]): Promise<unknown> {
    if (this.closed) throw new ClusterError('closed', 'the cluster connection was closed');
    try {
      return await script.run(this.command, [
        this.keys.prefix,
        this.options.eventCap ?? EVENT_STREAM_CAP,
        ...args,
      ]);
    } catch (error) {
      throw classifyRedisError(error, this.where);
    }
  }

  private async call(run: () => Promise<unknown>): Promise<unknown> {
    if (this.closed) throw new ClusterError('closed', 'the cluster connection was closed');
    try {
      return await run();
    } catch (error) {
      throw classifyRedisError(error, this.where);
    }
  }

  async hello(node: NodeIdentity): Promise<Joined> {
    await this.connect();
    const args = [
      node.id,
      node.instance,
      node.version,
      node.ttlMs,
      node.startedAt,
      randomUUID(),
      LAST_BATCH_KEEP_MS,
    ];
    const raw = await this.run(SCRIPTS.hello, args);
    const reply = strings(Array.isArray(raw) ? raw.slice(0, 4) : raw, 'hello');
    if (reply[0] === 'version-mismatch') {
      throw new ClusterError(
        'version-mismatch',
        `${this.where} speaks bus protocol ${reply[1] ?? '?'}, this relay ${node.version}: upgrade every relay of the cluster together`,
      );
    }
    if (reply[0] === 'node-id-in-use') {
      throw new ClusterError(
        'node-id-in-use',
        `node id ${node.id} is in use by a live relay of ${this.where}`,
      );
    }
    const [, epoch, number, inbox] = reply;
    if (reply[0] !== 'ok' || epoch === undefined || number === undefined || inbox === undefined) {
      throw new ClusterError('protocol', 'unexpected reply to hello');
    }
    const cursor = { epoch, events: `${number}-0`, eventNumber: Number(number), inbox };
    return { cursor, rooms: roomSnapshots(strings((raw as unknown[])[4], 'hello')) };
  }

  async apply(node: NodeIdentity, first: number, ops: readonly BusOp[]): Promise<OpResult[]> {
    const args = [
      node.id,
      node.instance,
      first,
      this.options.roomLineCap ?? ROOM_STREAM_CAP,
      INBOX_STREAM_CAP,
      ...ops.map((op) => JSON.stringify(op)),
    ];
    const reply = await this.run(SCRIPTS.apply, args);
    if (reply === 'expired')
      throw new ClusterError('expired', `node ${node.id} was presumed dead by ${this.where}`);
    const results: unknown = typeof reply === 'string' ? JSON.parse(reply) : null;
    const list = Array.isArray(results) ? results : [];
    if (list.length !== ops.length || !list.every((r) => typeof r === 'number' || typeof r === 'string')) {
      throw new ClusterError('protocol', 'unexpected reply to apply');
    }
    return list as OpResult[];
  }

  async heartbeat(node: NodeIdentity): Promise<boolean> {
    return (await this.run(SCRIPTS.heartbeat, [node.id, node.instance, node.ttlMs])) === 1;
  }

  async reap(): Promise<number> {
    return Number(await this.run(SCRIPTS.reap, [LAST_BATCH_KEEP_MS]));
  }

  async goodbye(node: NodeIdentity): Promise<void> {
    await this.run(SCRIPTS.goodbye, [node.id, node.instance]);
  }

  async read(node: NodeIdentity, cursor: EventCursor, blockMs: number): Promise<ReadBatch> {
    const keys = [this.keys.events, this.keys.inbox(node.id)];
    const reply = await this.call(() =>
      this.reader.call(
        'XREAD',
        'COUNT',
        READ_COUNT,
        'BLOCK',
        blockMs,
        'STREAMS',
        ...keys,
        cursor.events,
        cursor.inbox,
      ),
    );
    return readEntries(reply, this.keys.events);
  }

  async members(roomKey: string): Promise<ClusterMember[]> {
    const flat = strings(
      await this.call(() => this.command.call('HGETALL', this.keys.roomMembers(roomKey))),
      'HGETALL',
    );
    const members: ClusterMember[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const member = readMemberValue(flat[i] ?? '', flat[i + 1] ?? '');
      if (member !== null) members.push(member);
    }
    return members;
  }

  async nodes(): Promise<ClusterNode[]> {
    const ids = strings(await this.call(() => this.command.call('SMEMBERS', this.keys.nodes)), 'SMEMBERS');
    const found: ClusterNode[] = [];
    for (const id of ids) {
      const [alive, fields] = await Promise.all([
        this.call(() => this.command.call('EXISTS', this.keys.alive(id))),
        this.call(() => this.command.call('HMGET', this.keys.node(id), 'version', 'startedAt')),
      ]);
      const [version, startedAt] = Array.isArray(fields) ? fields : [];
      if (alive === 1 && typeof version === 'string' && typeof startedAt === 'string') {
        found.push({ id, version: Number(version), startedAt: Number(startedAt) });
      }
    }
    return found.sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  /** One HGETALL of `P room-state`: every kept room at one moment (at most MAX_KEPT_ROOMS fields). */
  async roomStates(): Promise<ClusterRoomSnapshot[]> {
    const flat = strings(
      await this.call(() => this.command.call('HGETALL', this.keys.roomStates)),
      'HGETALL',
    );
    return roomSnapshots(flat);
  }

  async roomHistory(roomKey: string, query: HistoryQuery): Promise<HistoryPage<RoomLine>> {
    try {
      return await readRoomHistory(this.command, this.keys.roomLines(roomKey), query);
    } catch (error) {
      throw error instanceof ClusterError ? error : classifyRedisError(error, this.where);
    }
  }

  /**
   * One SET NX GET: the first relay's random key is kept, and every later one reads it back (a reply of
   * nil means ours was set). The key is checked before use: it must be exactly SHARED_KEY_BYTES of hex.
   */
  async sharedKey(): Promise<Uint8Array> {
    const ours = randomBytes(SHARED_KEY_BYTES).toString('hex');
    const before = await this.call(() => this.command.call('SET', this.keys.clusterKey, ours, 'NX', 'GET'));
    const hex = before === null ? ours : before;
    if (typeof hex !== 'string' || !new RegExp(`^[0-9a-f]{${SHARED_KEY_BYTES * 2}}$`).test(hex)) {
      throw new ClusterError('protocol', `${this.keys.clusterKey} does not hold a cluster key`);
    }
    return Uint8Array.from(Buffer.from(hex, 'hex'));
  }

  onReachable(listener: (reachable: boolean, detail: string) => void): void {
    let up = this.command.status === 'ready';
    const tell = (): void => {
      const now = this.command.status === 'ready' && this.reader.status === 'ready';
      if (now === up || this.closed) return;
      up = now;
      listener(now, now ? `connected to ${this.where}` : this.lastError);
    };
    for (const redis of [this.command, this.reader]) {
      redis.on('ready', tell);
      redis.on('close', tell);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.command.disconnect();
    this.reader.disconnect();
  }
}

/** `P room-state` as HGETALL gives it (room key, JSON, ...): the states that read back. */
function roomSnapshots(flat: readonly string[]): ClusterRoomSnapshot[] {
  const states: ClusterRoomSnapshot[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const state = readRoomSnapshot(flat[i] ?? '', flat[i + 1] ?? '');
    if (state !== null) states.push(state);
  }
  return states;
}
