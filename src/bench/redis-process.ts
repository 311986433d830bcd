/**
 * The Redis a `bench --relays N` cluster runs on: Debian's redis-server, started by the bench on
 * 127.0.0.1 and a free port, with no persistence (a bench keeps nothing), and stopped after the series.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { commandsProcessed } from '../cluster/redis/redis-stats.ts';

export const REDIS_SERVER = '/usr/bin/redis-server';
const READY = /Ready to accept connections/;
const START_TIMEOUT_MS = 10_000;
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
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    const child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const fail = (why: string): void => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(
          new Error(`redis-server did not start (${why}); is Debian's redis-server installed?\n${output}`),
        );
      };
      const timer = setTimeout(() => fail(`not ready in ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
      child.once('error', (error) => fail(error.message));
      child.once('exit', (code) => fail(`exited (${code})`));
      child.stdout?.setEncoding('utf8');
      child.stdout?.on('data', (chunk: string) => {
        output = (output + chunk).slice(-2000);
        if (!READY.test(output)) return;
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.stdout?.removeAllListeners('data');
        child.stdout?.resume();
        resolve();
      });
    });
    return new BenchRedis(child, port);
  }

  /** The commands Redis has run so far (INFO stats). */
  commands(): Promise<number> {
    return commandsProcessed(this.url);
  }

  stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const killer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
      this.child.once('exit', () => {
        clearTimeout(killer);
        resolve();
      });
      this.child.kill('SIGTERM');
    });
  }
}

/** A port nobody listens on now (the kernel's choice, closed again at once). */
function freePort(): Promise<number> {
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
