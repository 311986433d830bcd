/**
 * The store `udpchat relay` hands its core: the SQLite file of --db, or memory (nothing outlives the
 * process; --accounts read from its file, as before). Loaded only with --db, so a relay without it never
 * loads the driver. A store that cannot be opened stops the relay before any client can reach it, with
 * the store's one line; at run time a failing commit is logged and the relay keeps relaying (the store
 * keeps the writes and retries).
 */
import type { Logger } from '../observability/logger.ts';
import type { RelayStore } from '../relay/store.ts';
import type { AccountTable } from '../store/account-file.ts';
import { MemoryStore } from '../store/memory/memory-store.ts';
import type { Retention } from '../store/retention.ts';

export interface OpenedStore {
  readonly store: RelayStore;
  /** The accounts the core is handed: the database's, or the --accounts file's. */
  readonly accounts: RelayStore | AccountTable | null;
}

export async function openRelayStore(
  path: string | undefined,
  accounts: AccountTable | undefined,
  retention: Retention,
): Promise<OpenedStore> {
  if (path === undefined) {
    const store = new MemoryStore({ retention });
    return { store, accounts: accounts ?? null };
  }
  const { openSqliteStore } = await import('../store/sqlite/sqlite-store.ts');
  const store = openSqliteStore({ path, retention });
  return { store, accounts: store };
}

/** Failed commits are logged, once per failure, with what is waiting; the store retries on its own. */
export function logStoreFailures(store: RelayStore, logger: Logger): () => void {
  return store.subscribe({
    committed: () => {},
    failed: (failure) =>
      logger.error(
        { code: failure.code, pendingWrites: failure.pendingWrites, retryInMs: failure.retryInMs },
        `store: ${failure.message}; the relay keeps relaying and retries`,
      ),
  });
}
