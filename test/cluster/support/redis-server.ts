/**
 * A real redis-server for one test: on 127.0.0.1 and a free port, no snapshots and no append-only file
 * unless asked (`persistDir`: then every write is fsynced, so a stop and restart keeps everything), and
 * killed when the test ends. A running Redis service is never used.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

export const REDIS_SERVER = '/usr/bin/redis-server';
const READY = /Ready to accept connections/;
const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

export interface RedisServerOptions {
  readonly password?: string;
  /** Keep data across a restart (AOF with fsync on every write). */
  readonly persist?: boolean;
  /** A port chosen by the test (a bus already waiting there); a free one otherwise. */
  readonly port?: number;
}

/** A port nobody listens on now (the kernel's choice, closed again at once). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
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

  private args(): string[] {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--loglevel', 'notice'];
    if (this.dir !== null) args.push('--appendonly', 'yes', '--appendfsync', 'always', '--dir', this.dir);
    else args.push('--appendonly', 'no');
    if (this.options.password !== undefined) args.push('--requirepass', this.options.password);
    return args;
  }

  /** Starts the server (again, on the same port) and resolves when it accepts connections. */
  resume(): Promise<void> {
    const child = spawn(REDIS_SERVER, this.args(), { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    return new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(
        () => fail(new Error(`redis-server not ready in ${START_TIMEOUT_MS} ms:\n${output}`)),
        START_TIMEOUT_MS,
      );
      const fail = (error: Error): void => {
        clearTimeout(timer);
        reject(error);
      };
      child.once('error', fail);
      child.once('exit', (code) =>
        fail(new Error(`redis-server exited (${code}) before it was ready:\n${output}`)),
      );
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (READY.test(output)) {
          clearTimeout(timer);
          child.removeAllListeners('exit');
          resolve();
        }
      });
    });
  }

  /** Stops the server (SIGKILL: no goodbye to clients, as a crash) and resolves when it has exited. */
  stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    this.child = null;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('redis-server did not exit')), STOP_TIMEOUT_MS);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill(signal);
    });
  }

  private async dispose(): Promise<void> {
    await this.stop();
    if (this.dir !== null) rmSync(this.dir, { recursive: true, force: true });
  }
}
