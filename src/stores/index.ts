import type { Config } from '../config/index.js';
import { openDatabase } from '../db/index.js';
import { SqliteLedger, type Ledger } from '../delivery/index.js';
import { SqliteEditionStore, type EditionStore } from '../editions/index.js';
import { SqliteSubscriberStore, type SubscriberStore } from '../subscribers/index.js';

/** Every store paperboy keeps, on one backend. Nothing outside the store folders knows which. */
export interface Stores {
  subscribers: SubscriberStore;
  editions: EditionStore;
  ledger: Ledger;
  /** Whether several senders may share one edition (a server database); SQLite keeps one at a time. */
  sharedSending: boolean;
  close(): Promise<void>;
}

/** Opens the configured store: the SQLite file in the data directory (migrated on open). */
export async function openStores(config: Readonly<Config>): Promise<Stores> {
  const db = openDatabase(config.dataDir);
  return {
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
