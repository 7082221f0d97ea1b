/**
 * A real PostgreSQL server for the store tests, on loopback. CI gives one in
 * PAPERBOY_TEST_DATABASE_URL (.ci/run starts it); on a developer's machine with Debian's
 * postgresql package, this starts the local cluster, makes a test role, and stops the cluster
 * again afterwards if it was down. The tests never skip for want of a server: they fail.
 */
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

const role = 'paperboy_test';

function localCluster(): { version: string; name: string; port: number; online: boolean } | undefined {
  try {
    const [line] = execFileSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' }).trim().split('\n');
    const [version, name, port, status] = (line ?? '').trim().split(/\s+/);
    return version && name && port ? { version, name, port: Number(port), online: status === 'online' } : undefined;
  } catch {
    return undefined;
  }
}

function asPostgres(sql: string): void {
  execFileSync('runuser', ['-u', 'postgres', '--', 'psql', '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql], { stdio: 'pipe' });
}

export default async function setup(project: TestProject) {
  let url = process.env.PAPERBOY_TEST_DATABASE_URL;
  let stop: (() => void) | undefined;
  if (!url) {
    const cluster = localCluster();
    if (!cluster) throw new Error('No PostgreSQL for the store tests: set PAPERBOY_TEST_DATABASE_URL, or install Debian\'s postgresql package (.ci/run does).');
    if (!cluster.online) {
      execFileSync('pg_ctlcluster', [cluster.version, cluster.name, 'start'], { stdio: 'pipe' });
      stop = () => execFileSync('pg_ctlcluster', [cluster.version, cluster.name, 'stop'], { stdio: 'pipe' });
    }
    asPostgres(`DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${role} LOGIN CREATEDB PASSWORD '${role}'; END IF; END $$`);
    url = `postgres://${role}:${role}@127.0.0.1:${cluster.port}/postgres`;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.end();
  project.provide('postgresUrl', url);
  return () => stop?.();
}
