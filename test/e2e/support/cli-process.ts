/**
 * A child process for end-to-end tests, usually the built CLI (`node dist/cli/main.js ...`): its stdout and
 * stderr are collected line by line and can be awaited with a timeout; stop() kills it and waits for the
 * exit. Every child is also killed when the test process exits, so a failed test never leaks one.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Collector, DEFAULT_WAIT_MS, type Match, type WaitOptions } from './collector.ts';

export const REPO_ROOT: string = fileURLToPath(new URL('../../../', import.meta.url));
/** The compiled CLI; `npm test` builds it first (run `npm run build` before running a test by hand). */
export const CLI_ENTRY: string = fileURLToPath(new URL('../../../dist/cli/main.js', import.meta.url));

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ProcessOptions {
  /** A name for failure messages, e.g. "alice". */
  readonly name?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Node's own options, before the CLI's entry point (e.g. `--import` of a probe); for `cli()` only. */
  readonly nodeArgs?: readonly string[];
}

export interface LineWaitOptions extends WaitOptions {
  readonly stream?: 'stdout' | 'stderr';
}

/** Children still running; killed on exit so an aborted run leaves nothing behind. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function track(child: ChildProcess): void {
  running.add(child);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const leftover of running) leftover.kill('SIGKILL');
  });
}

export class CliProcess {
  readonly stdout: Collector<string>;
  readonly stderr: Collector<string>;
  /** Resolves once the process has exited and its output has been read to the end. */
  readonly exited: Promise<ExitStatus>;
  private stdoutRaw = '';
  private status: ExitStatus | null = null;

  private constructor(
    private readonly child: ChildProcess,
    readonly name: string,
  ) {
    this.stdout = new Collector<string>(`${name} stdout`);
    this.stderr = new Collector<string>(`${name} stderr`);
    this.exited = this.watch();
    collectLines(
      child.stdout,
      (line) => this.stdout.push(line),
      (chunk) => {
        this.stdoutRaw += chunk;
      },
    );
    collectLines(child.stderr, (line) => this.stderr.push(line));
    // Writing to a child that already exited raises EPIPE here; the test sees the exit instead.
    child.stdin?.on('error', () => {});
  }

  /** Starts the built CLI with these arguments. */
  static cli(args: readonly string[], options: ProcessOptions = {}): CliProcess {
    if (!existsSync(CLI_ENTRY)) throw new Error(`${CLI_ENTRY} is missing: run "npm run build" first`);
    const env = options.env ?? process.env;
    // A config directory of its own unless the test gives one: a client pins relays in known_relays there,
    // and a pin left by another test (another relay, same port) would rightly be refused as an impostor.
    const own = env.XDG_CONFIG_HOME === undefined ? mkdtempSync(join(tmpdir(), 'udpchat-cli-config-')) : null;
    const child = CliProcess.spawn(process.execPath, [...(options.nodeArgs ?? []), CLI_ENTRY, ...args], {
      ...options,
      env: own === null ? env : { ...env, XDG_CONFIG_HOME: own },
    });
    if (own !== null) void child.exited.finally(() => rmSync(own, { recursive: true, force: true }));
    return child;
  }

  static spawn(command: string, args: readonly string[], options: ProcessOptions = {}): CliProcess {
    const child = spawn(command, [...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    track(child);
    return new CliProcess(child, options.name ?? args.join(' '));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Everything written to stdout so far, byte-for-byte as text (lines are also in `stdout.items`). */
  get stdoutText(): string {
    return this.stdoutRaw;
  }

  /** The exit status, or null while it runs. */
  get exitStatus(): ExitStatus | null {
    return this.status;
  }

  write(text: string): void {
    this.child.stdin?.write(text);
  }

  writeLine(line: string): void {
    this.write(`${line}\n`);
  }

  /** Sends `signal` now (SIGKILL: a crash the process cannot answer); `exited` tells when it is gone. */
  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Closes stdin: the child reads end-of-file. */
  endInput(): void {
    this.child.stdin?.end();
  }

  /** Resolves with the first line (seen already or still to come) that equals, matches or satisfies `match`. */
  waitForLine(match: string | RegExp | Match<string>, options: LineWaitOptions = {}): Promise<string> {
    const collector = options.stream === 'stderr' ? this.stderr : this.stdout;
    const test = toMatch(match);
    return collector.waitFor(test, { what: `line ${describeMatch(match)}`, ...options });
  }

  /** Resolves with the exit status; rejects if the process is still running after `timeoutMs`. */
  waitForExit(timeoutMs = DEFAULT_WAIT_MS): Promise<ExitStatus> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${this.name} still running after ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    return Promise.race([this.exited, timeout]).finally(() => clearTimeout(timer));
  }

  /** Asks the process to stop (SIGTERM), kills it (SIGKILL) after `graceMs`, and resolves once it is gone. */
  async stop(graceMs = 2_000): Promise<ExitStatus> {
    if (this.status !== null) return this.status;
    this.child.kill('SIGTERM');
    try {
      return await this.waitForExit(graceMs);
    } catch {
      this.child.kill('SIGKILL');
      return this.exited;
    }
  }

  private watch(): Promise<ExitStatus> {
    return new Promise<ExitStatus>((resolve) => {
      const finish = (status: ExitStatus, reason: string): void => {
        if (this.status !== null) return;
        this.status = status;
        running.delete(this.child);
        this.stdout.end(reason);
        this.stderr.end(reason);
        resolve(status);
      };
      // 'close' comes after the output streams ended, so no line is lost.
      this.child.on('close', (code, signal) => finish({ code, signal }, `exited (${code ?? signal})`));
      this.child.on('error', (error) => {
        // 'error' also reports a failed kill of a live child; only a child without a pid never started.
        if (this.child.pid === undefined)
          finish({ code: null, signal: null }, `failed to start: ${error.message}`);
      });
    });
  }
}

/** Splits a stream into lines without their `\n`; a last unterminated line is delivered at the end. */
function collectLines(
  stream: Readable | null,
  onLine: (line: string) => void,
  onChunk?: (text: string) => void,
): void {
  if (stream === null) return;
  stream.setEncoding('utf8');
  let pending = '';
  stream.on('data', (chunk: string) => {
    onChunk?.(chunk);
    const pieces = (pending + chunk).split('\n');
    pending = pieces.pop() ?? '';
    for (const line of pieces) onLine(line);
  });
  stream.on('end', () => {
    if (pending.length > 0) onLine(pending);
    pending = '';
  });
}

function toMatch(match: string | RegExp | Match<string>): Match<string> {
  if (typeof match === 'string') return (line) => line === match;
  if (match instanceof RegExp) return (line) => match.test(line);
  return match;
}

function describeMatch(match: string | RegExp | Match<string>): string {
  return typeof match === 'function' ? 'matching the predicate' : JSON.stringify(String(match));
}
