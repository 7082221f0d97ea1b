import type { Config } from '../config/index.js';
import { isPostgresUrl, openDatabase, openPostgres, relaxedPool } from '../db/index.js';
import { PostgresLedger, SqliteLedger, type Ledger } from '../delivery/index.js';
import { PostgresEditionStore, SqliteEditionStore, type EditionStore } from '../editions/index.js';
import { PaperboyError } from '../errors.js';
import { PostgresSubscriberStore, SqliteSubscriberStore, TokenSigner, loadSecret, type SubscriberStore } from '../subscribers/index.js';

/** Every store paperboy keeps, on one backend. Nothing outside the store folders knows which. */
export interface Stores {
  kind: 'sqlite' | 'postgres';
  subscribers: SubscriberStore;
  editions: EditionStore;
  ledger: Ledger;
  /** Whether several senders may share one edition (a server database); SQLite keeps one at a time. */
  sharedSending: boolean;
  close(): Promise<void>;
}

/**
 * Opens the configured store, migrated: PostgreSQL when `database` is set (PAPERBOY_DATABASE_URL,
 * --database-url), else the SQLite file in the data directory.
 */
export async function openStores(config: Readonly<Config>): Promise<Stores> {
  if (isPostgresUrl(config.database)) {
    const pool = await openPostgres(config.database);
    const relaxed = relaxedPool(config.database);
    return {
      kind: 'postgres',
      subscribers: new PostgresSubscriberStore(pool),
      editions: new PostgresEditionStore(pool),
      ledger: new PostgresLedger(pool, relaxed),
      sharedSending: true,
      close: async () => {
        await Promise.all([pool.end(), relaxed.end()]);
      },
    };
  }
  const db = openDatabase(config.dataDir);
  return {
    kind: 'sqlite',
    subscribers: new SqliteSubscriberStore(db),
    editions: new SqliteEditionStore(db),
    ledger: new SqliteLedger(db),
    sharedSending: false,
    close: async () => {
      db.close();
    },
  };
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
    throw new PaperboyError('CONFIG', 'With a PostgreSQL store, set PAPERBOY_SECRET (the same on every machine): links signed by one server must work on the others.');
  }
  return new TokenSigner(loadSecret(config.dataDir, env));
}
