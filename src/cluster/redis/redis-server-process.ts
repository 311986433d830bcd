/**
 * Debian's redis-server as a child process on 127.0.0.1 and a port of our choosing: what the cluster
 * benchmarks run on and what the cluster tests start. A Redis service already running is never used.
 * No snapshots; an append-only file (fsynced on every write) only when a directory is given for it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

export const REDIS_SERVER = '/usr/bin/redis-server';
const READY = /Ready to accept connections/;
const START_TIMEOUT_MS = 10_000;
/** What is kept of the server's output for the error when it does not start. */
const OUTPUT_KEPT_CHARS = 2_000;

export interface RedisServerSettings {
  readonly port: number;
  readonly password?: string;
  /** Keep every write in an append-only file in this directory, so a restart keeps the data. */
  readonly persistDir?: string;
}

/** The command line for `settings`: loopback only, never a snapshot. */
export function redisServerArgs(settings: RedisServerSettings): string[] {
  const args = ['--port', String(settings.port), '--bind', '127.0.0.1', '--save', '', '--loglevel', 'notice'];
  if (settings.persistDir === undefined) args.push('--appendonly', 'no');
  else args.push('--appendonly', 'yes', '--appendfsync', 'always', '--dir', settings.persistDir);
  if (settings.password !== undefined) args.push('--requirepass', settings.password);
  return args;
}

/** Starts redis-server and resolves once it accepts connections; on failure it is killed and the error says why. */
export function startRedisServer(settings: RedisServerSettings): Promise<ChildProcess> {
  const child = spawn(REDIS_SERVER, redisServerArgs(settings), { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise<ChildProcess>((resolve, reject) => {
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
    child.once('exit', (code) => fail(`exited (${code}) before it was ready`));
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      output = (output + chunk).slice(-OUTPUT_KEPT_CHARS);
      if (!READY.test(output)) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.removeAllListeners('error');
      child.stdout?.removeAllListeners('data');
      // Keep draining its output so a chatty server never blocks on a full pipe.
      child.stdout?.resume();
      child.stderr?.resume();
      resolve(child);
    });
  });
}

/**
 * Stops `child` with `signal` (SIGKILL plays a crash; SIGTERM lets it say goodbye), and with SIGKILL after
 * `graceMs` if it is still there; resolves once it has exited.
 */
export function stopRedisServer(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill(signal);
  });
}

/** A TCP port nobody listens on now on 127.0.0.1 (the kernel's choice, closed again at once). */
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
