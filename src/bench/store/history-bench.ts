/**
 * `udpchat bench --history-lines N`: what the store costs at size. Fills a fresh SQLite file with N room
 * lines the way a relay would (appends in turns of the event loop, committed by the group commit on its
 * real timers), then measures /history latency in the store (the last 20, 20 before an old id, 20 before a
 * random id, a gap fill of 200 after a random id), the file size per million lines, the time to open the
 * file, and the time for a relay process on it to start listening.
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { lookalikeKey } from '../../protocol/lookalike.ts';
import type { HistoryQuery, RelayStore, RoomLineInput } from '../../relay/store.ts';
import { openSqliteStore } from '../../store/sqlite/sqlite-store.ts';
import { BenchDatabase } from '../bench-database.ts';
import type { HistoryBenchOptions } from '../options.ts';
import { ownRelayCommand } from '../relay-process.ts';

const ROOMS = ['#big', '#small'] as const;
/** Lines appended per turn of the event loop (a relay's batch of datagrams). */
const PER_TURN = 1_000;
const QUERIES = 2_000;
export const KEEP_ALL = { maxLines: Number.MAX_SAFE_INTEGER, maxAgeMs: Number.POSITIVE_INFINITY };
/** A typical chat line: about 60 characters. */
const TEXT = 'the deploy went out at noon and the graphs look fine so far, ';
const RELAY_START_TIMEOUT_MS = 60_000;

/** Microseconds. */
export interface QueryLatency {
  readonly medianUs: number;
  readonly p99Us: number;
}

export interface HistoryBenchResult {
  readonly lines: number;
  /** Appends per second, their commits included. */
  readonly linesWrittenPerSecond: number;
  /** The cost of one appendLine call on the relay's path (the commit runs later, off it). */
  readonly appendUs: number;
  readonly commits: number;
  readonly last20: QueryLatency;
  readonly before20Old: QueryLatency;
  readonly before20Random: QueryLatency;
  readonly after200Random: QueryLatency;
  readonly fileBytes: number;
  readonly bytesPerMillionLines: number;
  readonly openMs: number;
  /** From spawning `udpchat relay --db` on the file to its "relay listening" line. */
  readonly relayStartMs: number;
}

export async function runHistoryBench(
  options: HistoryBenchOptions,
  log: (line: string) => void,
): Promise<HistoryBenchResult> {
  const database = await BenchDatabase.make();
  try {
    return await measure(options.lines, database.path, log);
  } finally {
    await database.remove();
  }
}

async function measure(
  lines: number,
  path: string,
  log: (line: string) => void,
): Promise<HistoryBenchResult> {
  const store = openSqliteStore({ path, retention: KEEP_ALL });
  log(`writing ${lines.toLocaleString('en')} lines to a fresh database`);
  const written = await fillStore(store, lines);
  log('querying');
  const old = Math.max(1, Math.floor(lines * 0.01));
  const random = (): number => 1 + Math.floor(Math.random() * Math.max(1, lines * 0.98));
  const result = {
    last20: await latency(store, () => ({ type: 'last', limit: 20 })),
    before20Old: await latency(store, () => ({ type: 'before', id: old, limit: 20 })),
    before20Random: await latency(store, () => ({ type: 'before', id: random(), limit: 20 })),
    after200Random: await latency(store, () => ({ type: 'after', id: random(), limit: 200 })),
  };
  const commits = store.stats().commits;
  await store.close();
  const fileBytes = statSync(path).size;
  const openStart = performance.now();
  await openSqliteStore({ path, retention: KEEP_ALL }).close();
  const openMs = performance.now() - openStart;
  log('starting a relay on the database');
  const relayStartMs = await timeRelayStart(path);
  return {
    lines,
    linesWrittenPerSecond: Math.round(lines / written.seconds),
    appendUs: written.appendUs,
    commits,
    ...result,
    fileBytes,
    bytesPerMillionLines: Math.round((fileBytes / lines) * 1e6),
    openMs,
    relayStartMs,
  };
}

/** Appends `count` lines as a relay would; also used by the by-hand relay measurement's file. */
export async function fillStore(
  store: RelayStore,
  count: number,
): Promise<{ seconds: number; appendUs: number }> {
  const turn = turnOfLines();
  let appendMs = 0;
  const started = performance.now();
  for (let written = 0; written < count; ) {
    const turnStart = performance.now();
    for (let i = 0; i < PER_TURN && written < count; i++, written++)
      if (store.appendLine(turn[i] as RoomLineInput) === null) throw new Error('the store refused a line');
    appendMs += performance.now() - turnStart;
    // The commits run here, between turns, as they would between a relay's batches of datagrams.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await store.flush();
  return { seconds: (performance.now() - started) / 1000, appendUs: (appendMs * 1000) / count };
}

/** One turn's lines, made once, so that the time measured is the store's. One line in 100 is #small's. */
function turnOfLines(): RoomLineInput[] {
  return Array.from({ length: PER_TURN }, (_, i) => {
    const room = ROOMS[i % 100 === 0 ? 1 : 0];
    return {
      roomKey: lookalikeKey(room),
      roomName: room,
      at: Date.now(),
      kind: 'say',
      nick: `user${i % 500}`,
      text: `${TEXT}${i}`,
    };
  });
}

async function latency(store: RelayStore, query: () => HistoryQuery): Promise<QueryLatency> {
  const times: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const start = performance.now();
    await store.roomHistory(lookalikeKey('#big'), query());
    times.push((performance.now() - start) * 1000);
  }
  times.sort((a, b) => a - b);
  const at = (q: number): number => Math.round(times[Math.floor(q * (times.length - 1))] as number);
  return { medianUs: at(0.5), p99Us: at(0.99) };
}

/** Spawns our relay on `path` and resolves with the milliseconds until it says it is listening. */
function timeRelayStart(path: string): Promise<number> {
  const [file, ...args] = ownRelayCommand(['--db', path]);
  if (file === undefined) return Promise.reject(new Error('no relay command'));
  const started = performance.now();
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise<number>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => done(new Error('the relay did not start within 60 s')),
      RELAY_START_TIMEOUT_MS,
    );
    const done = (outcome: number | Error): void => {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.kill('SIGTERM');
      child.once('exit', () => (typeof outcome === 'number' ? resolve(outcome) : reject(outcome)));
    };
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (/relay listening on udp\/\d+/.test(output)) done(performance.now() - started);
    };
    child.stdout.on('data', onData);
    child.once('error', (error) => done(error));
  });
}

export function formatHistoryBench(r: HistoryBenchResult): string {
  const ms = (value: number): string => `${value.toFixed(1)} ms`;
  const q = (l: QueryLatency): string => `median ${l.medianUs} us, p99 ${l.p99Us} us`;
  const rows: [string, string][] = [
    ['lines stored', r.lines.toLocaleString('en')],
    ['history lines written', `${r.linesWrittenPerSecond.toLocaleString('en')} lines/s (commits included)`],
    ['one appendLine call', `${r.appendUs.toFixed(2)} us (${r.commits.toLocaleString('en')} transactions)`],
    ['/history, last 20', q(r.last20)],
    ['20 before an old id', q(r.before20Old)],
    ['20 before a random id', q(r.before20Random)],
    ['gap fill, 200 after an id', q(r.after200Random)],
    [
      'database size',
      `${(r.fileBytes / 1e6).toFixed(1)} MB (${(r.bytesPerMillionLines / 1e6).toFixed(1)} MB per million lines)`,
    ],
    ['store open', ms(r.openMs)],
    ['relay start on it', `${ms(r.relayStartMs)} (process start to "relay listening")`],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  return `${rows.map(([name, value]) => `${name.padEnd(width)}  ${value}`).join('\n')}\n`;
}
