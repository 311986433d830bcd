/**
 * A store measurement to run by hand (not a test: its figures depend on the machine):
 *
 *   node --import tsx test/store/measure-store.ts [LINES] [KEEP]      (default 1,000,000)
 *
 * It fills a fresh SQLite file with LINES room lines the way a relay would (appends in turns of the event
 * loop, committed by the group commit on its real timers), then reports: appends per second including
 * their commits, the cost of one appendLine call, /history latency (the last 20; 20 before an old id;
 * a gap fill of 200 after an old id), the file size per million lines, and the time to open the file.
 * With KEEP (a path), the file is written there and kept, to start a relay on it (`relay --db KEEP`).
 */
import { statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { lookalikeKey } from '../../src/protocol/lookalike.ts';
import type { HistoryQuery, RelayStore, RoomLineInput } from '../../src/relay/store.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { TempDir } from './support/temp-dir.ts';

const LINES = Number(process.argv[2] ?? 1_000_000);
const KEEP = process.argv[3];
const ROOMS = ['#big', '#small'];
const PER_TURN = 1_000;
const QUERIES = 2_000;
const RETENTION = { maxLines: Number.MAX_SAFE_INTEGER, maxAgeMs: Number.POSITIVE_INFINITY };
/** A typical chat line: about 60 characters. */
const TEXT = 'the deploy went out at noon and the graphs look fine so far, ';

/** One turn's worth of lines, made once, so the time measured is the store's, not the line-making. */
function turnOfLines(): RoomLineInput[] {
  return Array.from({ length: PER_TURN }, (_, i) => {
    const room = ROOMS[i % 100 === 0 ? 1 : 0] as string;
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

async function fill(store: RelayStore): Promise<{ seconds: number; appendMicros: number }> {
  const lines = turnOfLines();
  let appendTime = 0;
  const started = performance.now();
  for (let written = 0; written < LINES; ) {
    const turnStart = performance.now();
    for (let i = 0; i < PER_TURN && written < LINES; i++, written++)
      if (store.appendLine(lines[i] as RoomLineInput) === null) throw new Error('a line was refused');
    appendTime += performance.now() - turnStart;
    // The commits run here, between turns, as they would between a relay's batches of datagrams.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await store.flush();
  return { seconds: (performance.now() - started) / 1000, appendMicros: (appendTime * 1000) / LINES };
}

async function latency(store: RelayStore, query: () => HistoryQuery): Promise<string> {
  const times: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const start = performance.now();
    await store.roomHistory(lookalikeKey('#big'), query());
    times.push((performance.now() - start) * 1000);
  }
  times.sort((a, b) => a - b);
  const at = (q: number): string => (times[Math.floor(q * (times.length - 1))] as number).toFixed(0);
  return `median ${at(0.5)} us, p99 ${at(0.99)} us`;
}

async function main(): Promise<void> {
  const dir = new TempDir('measure');
  try {
    const path = KEEP ?? dir.file();
    const store = openSqliteStore({ path, retention: RETENTION });
    const { seconds, appendMicros } = await fill(store);
    console.log(`lines:                    ${LINES.toLocaleString('en')}`);
    console.log(`appends, committed:       ${Math.round(LINES / seconds).toLocaleString('en')} lines/s`);
    console.log(`one appendLine call:      ${appendMicros.toFixed(2)} us`);
    console.log(`transactions:             ${store.stats().commits.toLocaleString('en')}`);
    const old = Math.max(1, Math.floor(LINES * 0.01));
    const random = (): number => 1 + Math.floor(Math.random() * LINES * 0.98);
    console.log(`/history last 20:         ${await latency(store, () => ({ type: 'last', limit: 20 }))}`);
    console.log(
      `20 before an old id:      ${await latency(store, () => ({ type: 'before', id: old, limit: 20 }))}`,
    );
    console.log(
      `20 before a random id:    ${await latency(store, () => ({ type: 'before', id: random(), limit: 20 }))}`,
    );
    console.log(
      `gap fill, 200 after an id: ${await latency(store, () => ({ type: 'after', id: random(), limit: 200 }))}`,
    );
    await store.close();
    const bytes = statSync(path).size;
    console.log(
      `file size:                ${(bytes / 1e6).toFixed(1)} MB (${(((bytes / LINES) * 1e6) / 1e6).toFixed(1)} MB per million lines)`,
    );
    const openStart = performance.now();
    const reopened = openSqliteStore({ path, retention: RETENTION });
    console.log(`open:                     ${(performance.now() - openStart).toFixed(1)} ms`);
    await reopened.close();
  } finally {
    dir.remove();
  }
}

await main();
