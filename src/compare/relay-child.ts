/**
 * The relay the comparison measures: our own `udpchat relay` as a child process (so its CPU time and
 * memory are its own, read from /proc), with UDP, TCP and the web listener on 127.0.0.1, flood control
 * off (the conversation is the load, not an abuse) and the idle timeout the run asks for.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { ownRelayCommand } from '../bench/relay-process.ts';

export interface RelayPorts {
  readonly udp: number;
  readonly tcp: number;
  readonly web: number;
}

const START_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 3_000;

export class CompareRelay {
  private constructor(
    private readonly child: ChildProcess,
    readonly ports: RelayPorts,
  ) {}

  static async start(idleTimeoutMs: number): Promise<CompareRelay> {
    // ownRelayCommand already turns the per-host limits and --line-rate off (LOAD_TEST_FLAGS).
    const [file = process.execPath, ...args] = ownRelayCommand([
      '--line-burst',
      '0',
      '--tcp-port',
      '0',
      '--web',
      '127.0.0.1:0',
      '--idle-timeout',
      `${idleTimeoutMs}ms`,
      '--sweep-interval',
      `${Math.max(50, Math.floor(idleTimeoutMs / 10))}ms`,
      '--log-level',
      'warn',
    ]);
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr?.resume();
    const ports = await readPorts(child);
    return new CompareRelay(child, ports);
  }

  get pid(): number {
    return this.child.pid ?? 0;
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

/** The three listening lines the relay prints before anything else. */
function readPorts(child: ChildProcess): Promise<RelayPorts> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => fail('no listening lines'), START_TIMEOUT_MS);
    function fail(why: string): void {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`the relay did not start: ${why}`));
    }
    child.once('exit', (code) => fail(`it exited (${code})`));
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      text += chunk;
      const udp = /udp\/(\d+)/.exec(text)?.[1];
      const tcp = /tcp\/(\d+)/.exec(text)?.[1];
      const web = /web client on http:\/\/[^:]+:(\d+)\//.exec(text)?.[1];
      if (udp === undefined || tcp === undefined || web === undefined) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      // Keep draining: a full pipe would stall the relay.
      child.stdout?.removeAllListeners('data');
      child.stdout?.resume();
      resolve({ udp: Number(udp), tcp: Number(tcp), web: Number(web) });
    });
  });
}
