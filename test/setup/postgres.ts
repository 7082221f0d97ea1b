/**
 * A real PostgreSQL server for the store tests, on loopback (see bench/local-postgres.ts): CI
 * gives one in PAPERBOY_TEST_DATABASE_URL; otherwise, as root, Debian's local cluster is started
 * (and stopped again afterwards if it was down), and as any other user a private cluster of the
 * installed server. With none to be had, the PostgreSQL tests are skipped, saying so in one line;
 * in CI that is a failure instead: there every test runs.
 */
import type { TestProject } from 'vitest/node';
import { ensurePostgres, noPostgres } from '../../bench/local-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The admin URL of the test server; '' when there is none (the PostgreSQL tests skip). */
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await ensurePostgres();
  if (!server) {
    if (process.env.CI) throw new Error(`CI runs every test, and there is ${noPostgres}.`);
    console.warn(`PostgreSQL tests skipped: ${noPostgres}.`);
    project.provide('postgresUrl', '');
    return;
  }
  project.provide('postgresUrl', server.url);
  return () => server.stop?.();
}
