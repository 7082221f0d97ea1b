/**
 * A PostgreSQL server to measure and test against, on loopback: PAPERBOY_TEST_DATABASE_URL when
 * given (CI sets it), else Debian's local cluster, started if it is down, with a role of ours.
 * Shared by the test setup and bench:scale; not part of paperboy itself.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

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

/** An admin URL (a role that may create databases), and how to stop the cluster if we started it. */
export async function ensurePostgres(env: NodeJS.ProcessEnv = process.env): Promise<{ url: string; stop?: () => void }> {
  let url = env.PAPERBOY_TEST_DATABASE_URL;
  let stop: (() => void) | undefined;
  if (!url) {
    const cluster = localCluster();
    if (!cluster) throw new Error("No PostgreSQL: set PAPERBOY_TEST_DATABASE_URL, or install Debian's postgresql package (.ci/run does).");
    if (!cluster.online) {
      execFileSync('pg_ctlcluster', [cluster.version, cluster.name, 'start'], { stdio: 'pipe' });
      stop = () => execFileSync('pg_ctlcluster', [cluster.version, cluster.name, 'stop'], { stdio: 'pipe' });
    }
    const sql = `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${role} LOGIN CREATEDB PASSWORD '${role}'; END IF; END $$`;
    execFileSync('runuser', ['-u', 'postgres', '--', 'psql', '-q', '-p', String(cluster.port), '-v', 'ON_ERROR_STOP=1', '-c', sql], { stdio: 'pipe' });
    url = `postgres://${role}:${role}@127.0.0.1:${cluster.port}/postgres`;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.end();
  return { url, ...(stop ? { stop } : {}) };
}

/** A new, empty database on the server of `adminUrl`; drop() removes it. */
export async function createDatabase(adminUrl: string, prefix = 'paperboy_t'): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  // FORCE ends our own sessions; an autovacuum worker on the database (the server's own role)
  // cannot be ended by us and refuses with 42501 for a moment: wait for it and try again.
  const drop = async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } catch (error) {
        if ((error as { code?: string }).code !== '42501' || attempt >= 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  };
  return { url: url.href, drop };
}
