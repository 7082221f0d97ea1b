import type pg from 'pg';
import { redactDatabaseUrl } from '../../db/index.js';
import { messageOf, PaperboyError } from '../../errors.js';
import { applyPostgresMigration, postgresMigrations } from './migrations.js';

export type PgPool = pg.Pool;
/** A pool, or one client inside a transaction: what the PostgreSQL stores run their SQL on. */
export type PgQueryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

let driver: Promise<typeof pg> | undefined;

/** node-postgres, loaded when a PostgreSQL store is first opened: a SQLite store never pays for it. */
function loadDriver(): Promise<typeof pg> {
  driver ??= import('pg').then(({ default: loaded }) => {
    // Ids and counts are bigint: as numbers (ids stay far below 2^53). Timestamps as ISO strings,
    // the form every store interface speaks (and SQLite stores).
    loaded.types.setTypeParser(loaded.types.builtins.INT8, (value) => Number(value));
    const parseTimestamp = loaded.types.getTypeParser(loaded.types.builtins.TIMESTAMPTZ);
    loaded.types.setTypeParser(loaded.types.builtins.TIMESTAMPTZ, (value) => (parseTimestamp(value) as Date).toISOString());
    return loaded;
  });
  return driver;
}

/** A key for pg_advisory_xact_lock: one migrator at a time, whichever machines start together. */
const migrationLock = 7_231_120_261;

/** Applies pending migrations in one transaction; returns the versions before and after. */
export async function migratePostgres(pool: PgPool): Promise<{ from: number; to: number }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [migrationLock]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
    const from = rows[0]?.version ?? 0;
    if (from > postgresMigrations.length) {
      throw new PaperboyError('STORE', `The database is from a newer paperboy (schema ${from}); upgrade paperboy.`);
    }
    for (let next = from; next < postgresMigrations.length; next++) {
      await applyPostgresMigration(client, postgresMigrations[next]!);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [next + 1]);
    }
    await client.query('COMMIT');
    return { from, to: postgresMigrations.length };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * A pool whose connections may drop (a server restart, a failover) without ending the process:
 * node-postgres reports a dropped connection as an 'error' event on the pool (an idle client) or
 * on the client (one checked out), and an 'error' event nobody listens to crashes Node. Here
 * both are heard; the query that was running fails with the error instead, which the caller
 * turns into one line (a store error) and the next query reconnects.
 */
function quietPool(pool: PgPool): PgPool {
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/** Opens a pool on `url` and brings the schema up to date (as opening the SQLite file does). */
export async function openPostgres(url: string, options: { migrate?: boolean } = {}): Promise<PgPool> {
  const pg = await loadDriver();
  const pool = quietPool(new pg.Pool({ connectionString: url, max: 8, application_name: 'paperboy' }));
  try {
    await pool.query('SELECT 1');
    if (options.migrate !== false) await migratePostgres(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    if (error instanceof PaperboyError) throw error;
    throw new PaperboyError(
      'STORE',
      `Cannot open the PostgreSQL database ${redactDatabaseUrl(url)}: ${messageOf(error)}; check --database-url (PAPERBOY_DATABASE_URL) and that the server is up.`,
    );
  }
  return pool;
}

/**
 * A second pool on the same database whose commits do not wait for the disk (synchronous_commit
 * off), for writes that may be lost in a crash of the server itself without harm: a claim or a
 * reservation lost with the server leaves the row waiting, which is what recovery does to an
 * uncertain row anyway. The write that must last, "sent", stays on the durable pool, and as the
 * log is written in order, a durable commit makes every earlier one durable with it.
 */
export async function relaxedPool(url: string): Promise<PgPool> {
  const pg = await loadDriver();
  return quietPool(new pg.Pool({ connectionString: url, max: 4, application_name: 'paperboy', options: '-c synchronous_commit=off' }));
}

/** Runs `work` in a transaction on one client of the pool. */
export async function inTransaction<T>(pool: PgPool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export async function postgresStoreId(pool: PgQueryable): Promise<string> {
  const { rows } = await pool.query<{ value: string }>(`SELECT value FROM meta WHERE key = 'store_id'`);
  return rows[0]!.value;
}
