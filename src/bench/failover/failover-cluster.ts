/**
 * The cluster a `bench --failover N` run kills relays of: a redis-server and R `udpchat relay --cluster`
 * processes started by the bench. A killed relay is replaced by a new one with a fresh node id, because
 * the dead relay's id stays taken (`node-id-in-use`) until its heartbeat's TTL lapses (docs/CLUSTER.md).
 * Everything started is stopped again, also when a start fails or the run is interrupted: stop() may be
 * called at any moment, even while a relay is starting (that one is stopped as soon as it is up).
 */
import { BenchRedis } from '../redis-process.ts';
import { ownRelayCommand, type RelayUnderTest, spawnRelay } from '../relay-process.ts';

export interface ClusterMember {
  readonly nodeId: string;
  readonly relay: RelayUnderTest;
}

export class FailoverCluster {
  private readonly live: ClusterMember[] = [];
  private started = 0;
  private redisServer: BenchRedis | undefined;
  private stopped = false;

  /** Starts redis-server and `relays` relays on it; on failure, stops what did start and throws. */
  async start(relays: number): Promise<void> {
    this.redisServer = await BenchRedis.start();
    try {
      if (this.stopped) throw new Error('stopped while starting');
      for (let i = 0; i < relays; i++) await this.addRelay();
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  get redis(): BenchRedis {
    if (this.redisServer === undefined) throw new Error('the failover cluster is not started');
    return this.redisServer;
  }

  /** The live relays, oldest first: the oldest is the next to be killed. */
  get members(): readonly ClusterMember[] {
    return this.live;
  }

  /** Starts one more relay, with a node id no relay of this run had before. */
  async addRelay(): Promise<ClusterMember> {
    this.started++;
    const nodeId = `failover-${this.started}`;
    const args = ['--cluster', this.redis.url, '--node-id', nodeId, '--log-level', 'warn'];
    const relay = await spawnRelay(ownRelayCommand(args), `cluster relay ${nodeId}`, 'udp');
    if (this.stopped) {
      await relay.stop();
      throw new Error(`stopped while relay ${nodeId} was starting`);
    }
    const member = { nodeId, relay };
    this.live.push(member);
    return member;
  }

  /** SIGKILL to `member`'s process (by its pid): it gets no chance to say anything to its clients. */
  kill(member: ClusterMember): void {
    const { pid } = member.relay;
    if (pid === undefined) throw new Error(`relay ${member.nodeId} has no pid`);
    process.kill(pid, 'SIGKILL');
  }

  /** Waits for a killed relay's exit (stop() on a dead child only awaits it) and forgets it. */
  async remove(member: ClusterMember): Promise<void> {
    await member.relay.stop();
    const index = this.live.indexOf(member);
    if (index >= 0) this.live.splice(index, 1);
  }

  /** Why a live relay died on its own, if one did. */
  failure(): string | undefined {
    for (const member of this.live) {
      const why = member.relay.failure();
      if (why !== undefined) return `${member.nodeId}: ${why}`;
    }
    return undefined;
  }

  /** Stops every relay and then redis-server; safe to call again, or while starting. */
  async stop(): Promise<void> {
    this.stopped = true;
    const live = this.live.splice(0);
    await Promise.all(live.map((member) => member.relay.stop()));
    await this.redisServer?.stop();
  }
}
