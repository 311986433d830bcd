import { after } from 'node:test';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { storeContract } from './store-contract.ts';
import { TempDir } from './support/temp-dir.ts';

const dir = new TempDir('store-contract');
after(() => dir.remove());

storeContract('SqliteStore', (env) =>
  openSqliteStore({
    path: dir.file(),
    retention: env.retention,
    pruneIntervalMs: env.pruneIntervalMs,
    scheduler: env.scheduler,
    clock: env.clock.read,
  }),
);
