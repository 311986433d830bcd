/**
 * Makes the file the by-hand relay measurement reads (measure-relay-history.ts): LINES room lines written
 * the way `udpchat bench --history-lines` writes them, kept at PATH.
 *
 *   node --import tsx test/store/measure-store.ts 1000000 /tmp/million.db
 *
 * The store's own figures (writes per second, /history latency, size, open and relay start) come from
 * `udpchat bench --history-lines 1000000`.
 */
import { fillStore, KEEP_ALL } from '../../src/bench/store/history-bench.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

const LINES = Number(process.argv[2] ?? 1_000_000);
const PATH = process.argv[3];
if (PATH === undefined) throw new Error('usage: measure-store.ts LINES PATH');
const store = openSqliteStore({ path: PATH, retention: KEEP_ALL });
const { seconds } = await fillStore(store, LINES);
await store.close();
console.log(`${LINES.toLocaleString('en')} lines in ${seconds.toFixed(1)} s, kept in ${PATH}`);
