/**
 * A real PostgreSQL server for the store tests, on loopback (see bench/local-postgres.ts): CI
 * gives one in PAPERBOY_TEST_DATABASE_URL; otherwise Debian's local cluster is started, and
 * stopped again afterwards if it was down. The tests never skip for want of a server: they fail.
 */
import type { TestProject } from 'vitest/node';
import { ensurePostgres } from '../../bench/local-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await ensurePostgres();
  project.provide('postgresUrl', server.url);
  return () => server.stop?.();
}
