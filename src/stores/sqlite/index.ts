import { join } from 'node:path';
import type { Stores } from '../common/index.js';
import { SqliteAdminAuthStore } from './admin-auth.js';
import { sqliteAdminQueries } from './admin-queries.js';
import { SqliteBounceStore } from './bounces.js';
import { SqliteEditionStore } from './editions.js';
import { SqliteLedger } from './ledger.js';
import { SqlitePaperArchive } from './papers.js';
import { databaseFileName, openDatabase, storeId } from './open.js';
import { editionSql, paperSql, subscriberSql } from './sql/index.js';
import { SqliteSubscriberStore } from './subscribers.js';

export { migrations } from './migrations.js';
export { type Db, databaseFileName, nowIso, openDatabase, statement, storeId } from './open.js';
export { sqliteAdminQueries } from './admin-queries.js';
export { SqliteAdminAuthStore, SqliteBounceStore, SqliteEditionStore, SqliteLedger, SqlitePaperArchive, SqliteSubscriberStore };

/** A subscriber store with a SQLite connection of its own, which its close() closes. */
export type StandaloneSubscriberStore = SqliteSubscriberStore & { close(): void };

/** The subscriber store alone on the SQLite file of `dataDir` (for tools and tests that need no other). */
export function openSubscriberStore(dataDir: string): StandaloneSubscriberStore {
  const db = openDatabase(dataDir);
  return Object.assign(new SqliteSubscriberStore(db), { close: () => db.close() });
}

/** The stores on the SQLite file of `dataDir`, migrated. */
export function openSqliteStores(dataDir: string): Stores {
  const db = openDatabase(dataDir);
  return {
    kind: 'sqlite',
    where: join(dataDir, databaseFileName),
    subscribers: new SqliteSubscriberStore(db),
    editions: new SqliteEditionStore(db),
    ledger: new SqliteLedger(db),
    bounces: new SqliteBounceStore(db),
    papers: new SqlitePaperArchive(db),
    adminAuth: new SqliteAdminAuthStore(db),
    adminQueries: sqliteAdminQueries(db),
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
    clearDemo: async () =>
      db.transaction(() => ({
        editions: db.prepare(editionSql.removeDemo).run().changes,
        readers: db.prepare(subscriberSql.removeDemo).run().changes,
        papers: db.prepare(paperSql.removeDemo).run().changes,
      }))(),
    close: async () => {
      db.close();
    },
  };
}
