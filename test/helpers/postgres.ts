import { inject } from 'vitest';
import { createDatabase } from '../../bench/local-postgres.js';

/** Whether the test run has a PostgreSQL server (test/setup/postgres.ts said why when not). */
export const hasPostgres = inject('postgresUrl') !== '';

/** A new, empty database on the test server (test/setup/postgres.ts), for one test file or world; drop() removes it. */
export const freshDatabase = (): Promise<{ url: string; drop(): Promise<void> }> => createDatabase(inject('postgresUrl'));
