import { type Config, loadConfig } from '../../src/config/index.js';
import { openStores, type Stores } from '../../src/stores/index.js';
import { tempDir } from './files.js';
import { freshDatabase, hasPostgres } from './postgres.js';

/** The stores of one backend, on a fresh SQLite file or a fresh PostgreSQL database; close() removes them. */
export interface StoreWorld {
  stores: Stores;
  config: Readonly<Config>;
  close(): Promise<void>;
}

/**
 * Both backends, each as [name, open]: SQLite always, PostgreSQL when the test run has a server.
 * `flags` are config flags beside the data directory (a source, say).
 */
export function storeBackends(flags: Record<string, unknown> = {}): [string, () => Promise<StoreWorld>][] {
  const open = async (postgres: boolean): Promise<StoreWorld> => {
    const dir = tempDir('paperboy-stores-');
    const database = postgres ? await freshDatabase() : undefined;
    const config = loadConfig({ env: {}, flags: { dataDir: dir.path, ...flags, ...(database ? { database: database.url } : {}) } });
    const stores = await openStores(config);
    return {
      stores,
      config,
      close: async () => {
        await stores.close();
        await database?.drop();
        dir.remove();
      },
    };
  };
  const backends: [string, () => Promise<StoreWorld>][] = [['SQLite', () => open(false)]];
  if (hasPostgres) backends.push(['PostgreSQL', () => open(true)]);
  return backends;
}
