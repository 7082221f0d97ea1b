/**
 * node-postgres reports a connection the server ended as an 'error' event, on the pool for an idle
 * client and on the client itself for one checked out; an 'error' event nobody hears ends Node.
 * The pools paperboy opens hear both: a restart of the server fails the query that was running,
 * in one line, and never takes a sender or a schedule daemon down with it.
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgres, relaxedPool } from '../../src/stores/postgres/index.js';
import { freshDatabase, hasPostgres } from '../helpers/postgres.js';

const databases: { drop(): Promise<void> }[] = [];
afterAll(async () => {
  for (const database of databases) await database.drop();
});

async function endSessionsOf(url: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
  } finally {
    await admin.end();
  }
}

describe.skipIf(!hasPostgres)('the PostgreSQL pools when the server ends their connections', () => {
  it.each([
    ['the store pool', (url: string) => openPostgres(url)],
    ['the relaxed pool', (url: string) => relaxedPool(url)],
  ])('%s: a client checked out and idle, and the idle ones, end without an unhandled error', async (_name, open) => {
    const fresh = await freshDatabase();
    databases.push(fresh);
    const pool = await open(fresh.url);
    const unhandled: unknown[] = [];
    const listener = (error: unknown) => unhandled.push(error);
    process.on('uncaughtException', listener);
    try {
      const held = await pool.connect(); // checked out, between two queries of a transaction
      await held.query('SELECT 1');
      const idle = await pool.connect();
      idle.release(); // back in the pool, idle
      await endSessionsOf(fresh.url);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await expect(held.query('SELECT 1')).rejects.toThrow();
      held.release(true);
      expect(unhandled).toEqual([]);
      // The next query reconnects.
      expect((await pool.query('SELECT 2 AS n')).rows).toEqual([{ n: 2 }]);
    } finally {
      process.off('uncaughtException', listener);
      await pool.end();
    }
  });
});
