import type pg from 'pg';
import { inTransaction, type PgPool, type PgQueryable } from './pool.js';

/**
 * Where the subscriber store's SQL runs: the pool, or during a rehearsal (--dry-run) the one
 * client whose transaction is rolled back at the end, with each step a savepoint inside it.
 */
export class RehearsableSession {
  private db: PgQueryable;
  /** During a rehearsal, its steps one after another (they share one client and its savepoints). */
  private rehearsalSteps: Promise<unknown> = Promise.resolve();

  constructor(private readonly pool: PgPool) {
    this.db = pool;
  }

  async query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.db.query<T>(sql, params)).rows;
  }

  /** A transaction of its own, or a savepoint inside a rehearsal's. */
  transaction<T>(work: (client: PgQueryable) => Promise<T>): Promise<T> {
    if (this.db === this.pool) return inTransaction(this.pool, work);
    const db = this.db;
    const step = this.rehearsalSteps.then(async () => {
      await db.query('SAVEPOINT step');
      try {
        const result = await work(db);
        await db.query('RELEASE SAVEPOINT step');
        return result;
      } catch (error) {
        await db.query('ROLLBACK TO SAVEPOINT step');
        throw error;
      }
    });
    this.rehearsalSteps = step.catch(() => undefined);
    return step;
  }

  /** Runs `work` and then undoes every write it made through this session. */
  async rehearse<T>(work: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    await client.query('BEGIN');
    this.db = client;
    try {
      return await work();
    } finally {
      this.db = this.pool;
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  }
}
