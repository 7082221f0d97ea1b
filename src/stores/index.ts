import type { Config } from '../config/index.js';
import { PostgresBounceStore, SqliteBounceStore, type BounceStore } from '../bounces/index.js';
import { isPostgresUrl, openDatabase, openPostgres, postgresStoreId, relaxedPool, storeId } from '../db/index.js';
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
  bounces: BounceStore;
  /** The random id made once per store (Message-IDs carry it). */
  storeId(): Promise<string>;
  /** Whether several senders may share one edition (a server database); SQLite keeps one at a time. */
  sharedSending: boolean;
  /**
   * Runs `work` (many small writes in a row, e.g. a mailbox of bounces) as one commit on SQLite,
   * where each commit costs more than the write; PostgreSQL commits each write as it goes. Keep
   * the work short: other writers wait for it.
   */
  writeBatch<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Opens the configured store, migrated: PostgreSQL when `database` is set (PAPERBOY_DATABASE_URL,
 * --database-url), else the SQLite file in the data directory.
 */
export async function openStores(config: Readonly<Config>): Promise<Stores> {
  if (isPostgresUrl(config.database)) {
    const pool = await openPostgres(config.database);
    const relaxed = await relaxedPool(config.database);
    return {
      kind: 'postgres',
      subscribers: new PostgresSubscriberStore(pool),
      editions: new PostgresEditionStore(pool),
      ledger: new PostgresLedger(pool, relaxed),
      bounces: new PostgresBounceStore(pool),
      storeId: () => postgresStoreId(pool),
      sharedSending: true,
      writeBatch: (work) => work(),
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
    bounces: new SqliteBounceStore(db),
    storeId: async () => storeId(db),
    sharedSending: false,
    writeBatch: async (work) => {
      // By hand, not db.transaction(): that one cannot span the awaits inside `work`. This process
      // does one thing at a time on this connection, so nothing else writes inside the batch.
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work();
        db.exec('COMMIT');
        return result;
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
    },
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
