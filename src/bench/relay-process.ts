/**
 * The relay under test: spawned by the bench (ours, or any command such as the seed's relay.py) or
 * already running (--relay HOST:PORT, with --relay-pid for its CPU and memory). A spawned relay tells us
 * its port on stdout ("relay listening on udp/<port>", the seed's own wording); its output is drained for
 * as long as it runs, because our relay logs every join there and a full pipe would stall it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchTransport } from './messages.ts';
import type { RelayChoice } from './options.ts';

export interface RelayUnderTest {
  readonly host: string;
  /** Where the clients connect: the UDP port, or the TCP or web port for `transport`. */
  readonly port: number;
  readonly transport: BenchTransport;
  /** For CPU time and memory; undefined when the relay runs elsewhere and no --relay-pid was given. */
  readonly pid: number | undefined;
  /** How the relay was started, for the report. */
  readonly label: string;
  /** Started by the bench (and stopped by it): its clients need not say goodbye. */
  readonly spawned: boolean;
  /** Why a spawned relay died on its own, if it did (a crash must not pass for loss). */
  failure(): string | undefined;
  stop(): Promise<void>;
}

/** Our relay with every flood limit off: the bench measures throughput, not throttling. */
export const LOAD_TEST_FLAGS: readonly string[] = [
  '--line-rate',
  '0',
  '--max-per-address',
  '0',
  '--join-rate',
  '0',
  '--nick-rate',
  '0',
];

/** The listening line of each transport; a spawned relay is given the flags that make it listen there. */
const PORT_LINES: Readonly<Record<BenchTransport, RegExp>> = {
  udp: /udp\/(\d+)/,
  v2: /udp\/(\d+)/,
  tcp: /tcp\/(\d+)/,
  ws: /web client on http:\/\/\S+:(\d+)\//,
};
const LISTEN_FLAGS: Readonly<Record<BenchTransport, readonly string[]>> = {
  udp: [],
  v2: [],
  tcp: ['--tcp-port', '0'],
  ws: ['--web', '127.0.0.1:0'],
};
const START_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 3_000;

/** The command line of our own relay, run with the same Node (and loader, under tsx) as the bench. */
export function ownRelayCommand(extraArgs: readonly string[]): string[] {
  const main = fileURLToPath(
    new URL(import.meta.url.endsWith('.ts') ? '../cli/main.ts' : '../cli/main.js', import.meta.url),
  );
  return [
    process.execPath,
    ...process.execArgv,
    main,
    'relay',
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    ...LOAD_TEST_FLAGS,
    ...extraArgs,
  ];
}

export function externalRelay(
  host: string,
  port: number,
  pid: number | undefined,
  transport: BenchTransport = 'udp',
): RelayUnderTest {
  return {
    host,
    port,
    transport,
    pid,
    label: `running at ${host}:${port}`,
    spawned: false,
    failure: () => undefined,
    stop: async () => {},
  };
}

/** Starts `command` (no shell: split on spaces) and waits for its port line. */
export async function spawnRelay(
  command: readonly string[],
  label: string,
  transport: BenchTransport = 'udp',
): Promise<RelayUnderTest> {
  const [file, ...args] = command;
  if (file === undefined) throw new Error('empty relay command');
  // PYTHONUNBUFFERED: a Python relay's print() would otherwise sit in a pipe buffer.
  const child = new RelayChild(
    spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PYTHONUNBUFFERED: '1' } }),
  );
  const port = await child.waitForPort(PORT_LINES[transport]);
  return {
    host: '127.0.0.1',
    port,
    transport,
    pid: child.pid,
    label,
    spawned: true,
    failure: () => child.failure(),
    stop: () => child.stop(),
  };
}

/** A spawned relay: its port line, the tail of its stderr, and whether it died before we stopped it. */
class RelayChild {
  private stdout = '';
  private stderr = '';
  private exit: string | undefined;
  private stopping = false;

  constructor(private readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4096);
    });
    child.once('exit', (code, signal) => {
      this.exit = `exited (${code ?? signal})`;
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  waitForPort(line: RegExp): Promise<number> {
    return new Promise((resolve, reject) => {
      const fail = (why: string): void => {
        clearTimeout(timer);
        this.child.kill('SIGKILL');
        reject(new Error(`relay did not start: ${why}${this.stderrTail()}`));
      };
      const timer = setTimeout(() => fail(`no ${line} line on its stdout`), START_TIMEOUT_MS);
      const onData = (chunk: string): void => {
        this.stdout += chunk;
        const match = line.exec(this.stdout);
        if (match === null) return;
        clearTimeout(timer);
        this.child.stdout?.off('data', onData);
        this.child.off('exit', onExit);
        // Keep draining: our relay logs every join on stdout and must never block on a full pipe.
        this.child.stdout?.resume();
        resolve(Number(match[1]));
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null): void =>
        fail(`exited (${code ?? signal})`);
      this.child.stdout?.on('data', onData);
      this.child.once('error', (error) => fail(error.message));
      this.child.once('exit', onExit);
    });
  }

  /** Why the relay is gone, if it died on its own. */
  failure(): string | undefined {
    if (this.exit === undefined || this.stopping) return undefined;
    return `the relay ${this.exit} during the run${this.stderrTail()}`;
  }

  stop(): Promise<void> {
    this.stopping = true;
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

  private stderrTail(): string {
    const tail = this.stderr.trim().slice(-1000);
    return tail ? `; its stderr ends: ${tail}` : '';
  }
}

/** The relay a bench run measures, as the options chose it. */
export function startRelay(choice: RelayChoice, transport: BenchTransport = 'udp'): Promise<RelayUnderTest> {
  if (choice.kind === 'external')
    return Promise.resolve(externalRelay(choice.host, choice.port, choice.pid, transport));
  if (choice.kind === 'command')
    return spawnRelay(choice.command, `spawned: ${choice.command.join(' ')}`, transport);
  const command = ownRelayCommand([...LISTEN_FLAGS[transport], ...choice.extraArgs]);
  return spawnRelay(
    command,
    `spawned: udpchat relay ${command.slice(command.indexOf('relay') + 1).join(' ')}`,
    transport,
  );
}
