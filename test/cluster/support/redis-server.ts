/**
 * A real redis-server for one test: on 127.0.0.1 and a free port, no snapshots and no append-only file
 * unless asked (`persist`: then every write is fsynced, so a stop and restart keeps everything), and
 * killed when the test ends. A running Redis service is never used.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import {
  freePort,
  startRedisServer,
  stopRedisServer,
} from '../../../src/cluster/redis/redis-server-process.ts';

export { freePort } from '../../../src/cluster/redis/redis-server-process.ts';

/** A stop that does not end within this long ends with SIGKILL. */
const STOP_GRACE_MS = 5_000;

export interface RedisServerOptions {
  readonly password?: string;
  /** Keep data across a restart (AOF with fsync on every write). */
  readonly persist?: boolean;
  /** A port chosen by the test (a bus already waiting there); a free one otherwise. */
  readonly port?: number;
}

export class RedisServer {
  private child: ChildProcess | null = null;
  private readonly dir: string | null;

  private constructor(
    readonly port: number,
    private readonly options: RedisServerOptions,
  ) {
    this.dir = options.persist === true ? mkdtempSync(join(tmpdir(), 'udpchat-redis-')) : null;
  }

  static async start(t: TestContext, options: RedisServerOptions = {}): Promise<RedisServer> {
    const server = new RedisServer(options.port ?? (await freePort()), options);
    t.after(() => server.dispose());
    await server.resume();
    return server;
  }

  /** The URL a bus connects with (`password` overrides the server's). */
  url(password = this.options.password): string {
    return password === undefined
      ? `redis://127.0.0.1:${this.port}`
      : `redis://:${password}@127.0.0.1:${this.port}`;
  }

  /** Starts the server (again, on the same port) and resolves when it accepts connections. */
  async resume(): Promise<void> {
    this.child = await startRedisServer({
      port: this.port,
      ...(this.options.password === undefined ? {} : { password: this.options.password }),
      ...(this.dir === null ? {} : { persistDir: this.dir }),
    });
  }

  /** Stops the server (SIGKILL by default: no goodbye to clients, as a crash) and resolves when it has exited. */
  stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    this.child = null;
    return child === null ? Promise.resolve() : stopRedisServer(child, signal, STOP_GRACE_MS);
  }

  private async dispose(): Promise<void> {
    await this.stop();
    if (this.dir !== null) rmSync(this.dir, { recursive: true, force: true });
  }
}
