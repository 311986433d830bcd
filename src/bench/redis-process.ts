/**
 * The Redis a `bench --relays N` cluster runs on: Debian's redis-server, started by the bench on
 * 127.0.0.1 and a free port, with no persistence (a bench keeps nothing), and stopped after the series.
 */
import type { ChildProcess } from 'node:child_process';
import { freePort, startRedisServer, stopRedisServer } from '../cluster/redis/redis-server-process.ts';
import { commandsProcessed } from '../cluster/redis/redis-stats.ts';

/** SIGTERM first, so Redis closes its clients; SIGKILL after this long. */
const STOP_GRACE_MS = 3_000;

export class BenchRedis {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  static async start(): Promise<BenchRedis> {
    const port = await freePort();
    return new BenchRedis(await startRedisServer({ port }), port);
  }

  /** The commands Redis has run so far (INFO stats). */
  commands(): Promise<number> {
    return commandsProcessed(this.url);
  }

  stop(): Promise<void> {
    return stopRedisServer(this.child, 'SIGTERM', STOP_GRACE_MS);
  }
}
