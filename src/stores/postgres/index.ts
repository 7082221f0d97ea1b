import { redactDatabaseUrl } from '../../db/index.js';
import type { Stores } from '../common/index.js';
import { PostgresAdminAuthStore } from './admin-auth.js';
import { postgresAdminQueries } from './admin-queries.js';
import { PostgresBounceStore } from './bounces.js';
import { PostgresEditionStore } from './editions.js';
import { PostgresLedger } from './ledger.js';
import { PostgresPaperArchive } from './papers.js';
import { inTransaction, openPostgres, postgresStoreId, relaxedPool } from './pool.js';
import { editionSql, paperSql, subscriberSql } from './sql/index.js';
import { PostgresSubscriberStore } from './subscribers.js';

export { applyPostgresMigration, postgresMigrations } from './migrations.js';
export { indexEveryPaper } from './paper-index.js';
export { tsqueryWords } from './tsquery-words.js';
export { inTransaction, migratePostgres, openPostgres, type PgPool, type PgQueryable, postgresStoreId, relaxedPool } from './pool.js';
export { PostgresAdminAuthStore, PostgresBounceStore, PostgresEditionStore, PostgresLedger, PostgresPaperArchive, PostgresSubscriberStore };

/** The stores on the PostgreSQL database at `url`, migrated. */
export async function openPostgresStores(url: string): Promise<Stores> {
  const pool = await openPostgres(url);
  const relaxed = await relaxedPool(url);
  return {
    kind: 'postgres',
    where: redactDatabaseUrl(url),
    subscribers: new PostgresSubscriberStore(pool),
    editions: new PostgresEditionStore(pool),
    ledger: new PostgresLedger(pool, relaxed),
    bounces: new PostgresBounceStore(pool),
    papers: new PostgresPaperArchive(pool),
    adminAuth: new PostgresAdminAuthStore(pool),
    adminQueries: postgresAdminQueries(pool),
    storeId: () => postgresStoreId(pool),
    sharedSending: true,
    writeBatch: (work) => work(),
    clearDemo: () =>
      inTransaction(pool, async (client) => ({
        editions: (await client.query(editionSql.removeDemo)).rowCount ?? 0,
        readers: (await client.query(subscriberSql.removeDemo)).rowCount ?? 0,
        papers: (await client.query(paperSql.removeDemo)).rowCount ?? 0,
      })),
    close: async () => {
      await Promise.all([pool.end(), relaxed.end()]);
    },
  };
}
