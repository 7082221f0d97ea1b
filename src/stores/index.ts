import { type Config, dataDirectory } from '../config/index.js';
import { isPostgresUrl, redactDatabaseUrl } from '../db/index.js';
import { PaperboyError } from '../errors.js';
import { loadSecret, TokenSigner } from '../subscribers/index.js';
import type { Stores } from './common/index.js';
import type { CopyReport } from './copy.js';
import { openDatabase, openSqliteStores } from './sqlite/index.js';

export type { Stores } from './common/index.js';
export type { CopyReport } from './copy.js';

/**
 * Opens the configured store, migrated: PostgreSQL when `database` is set (PAPERBOY_DATABASE_URL,
 * --database-url), else the SQLite file in the data directory. Each backend lives in its own
 * folder; the PostgreSQL one (and node-postgres) loads only when it is the one configured.
 */
export async function openStores(config: Readonly<Config>): Promise<Stores> {
  if (isPostgresUrl(config.database)) return (await import('./postgres/index.js')).openPostgresStores(config.database);
  return openSqliteStores(dataDirectory(config));
}

/** Brings the configured store's schema up to date; the schema versions before and after. */
export async function migrateStore(config: Readonly<Config>): Promise<{ store: string; from: number; to: number }> {
  if (isPostgresUrl(config.database)) {
    const { migratePostgres, openPostgres } = await import('./postgres/index.js');
    const pool = await openPostgres(config.database, { migrate: false });
    try {
      return { store: redactDatabaseUrl(config.database), ...(await migratePostgres(pool)) };
    } finally {
      await pool.end();
    }
  }
  const db = openDatabase(dataDirectory(config), { migrate: false });
  const from = db.pragma('user_version', { simple: true }) as number;
  db.close();
  const migrated = openDatabase(config.dataDir);
  const to = migrated.pragma('user_version', { simple: true }) as number;
  migrated.close();
  return { store: config.dataDir, from, to };
}

/** `db copy`: the SQLite store of `dataDir` into an empty PostgreSQL database (see copy.ts). */
export async function copyToPostgres(dataDir: string, url: string): Promise<CopyReport> {
  return (await import('./copy.js')).copyToPostgres(dataDir, url);
}

/** Opens the stores for one piece of work and closes them after, whatever happens. */
export async function withStores<T>(config: Readonly<Config>, work: (stores: Stores) => Promise<T>): Promise<T> {
  const stores = await openStores(config);
  try {
    return await work(stores);
  } finally {
    await stores.close();
  }
}

/**
 * The signer of every link: PAPERBOY_SECRET, or with SQLite a secret made once in the data
 * directory. A PostgreSQL store is shared by several machines, which must all sign alike: there
 * the secret has to come from the environment.
 */
export function signerFor(config: Readonly<Config>, env: NodeJS.ProcessEnv = process.env): TokenSigner {
  if (isPostgresUrl(config.database) && !env.PAPERBOY_SECRET) {
    throw new PaperboyError(
      'CONFIG',
      'With a PostgreSQL store, set PAPERBOY_SECRET (the same on every machine): links signed by one server must work on the others.',
    );
  }
  return new TokenSigner(loadSecret(env.PAPERBOY_SECRET ? config.dataDir : dataDirectory(config), env));
}
