/**
 * A PostgreSQL server to measure and test against, on loopback: PAPERBOY_TEST_DATABASE_URL when
 * given (CI sets it); else, as root, Debian's local cluster, started if it is down, with a role of
 * ours; else, as any other user, a private cluster of the installed server in a temporary folder
 * (initdb refuses root, and Debian's cluster needs its postgres user). Shared by the test setup
 * and bench:scale; not part of paperboy itself.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const role = 'paperboy_test';

export interface LocalPostgres {
  /** An admin URL: a role that may create databases. */
  url: string;
  /** Stops what was started here (a cluster that was down, a private one). */
  stop?: () => void;
}

function localCluster(): { version: string; name: string; port: number; online: boolean } | undefined {
  try {
    const [line] = execFileSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' }).trim().split('\n');
    const [version, name, port, status] = (line ?? '').trim().split(/\s+/);
    return version && name && port ? { version, name, port: Number(port), online: status === 'online' } : undefined;
  } catch {
    return undefined;
  }
}

/** Debian's cluster, as root: started if down, with our role. */
function debianCluster(): LocalPostgres | undefined {
  const cluster = localCluster();
  if (!cluster) return undefined;
  let stop: (() => void) | undefined;
  if (!cluster.online) {
    execFileSync('pg_ctlcluster', [cluster.version, cluster.name, 'start'], { stdio: 'pipe' });
    stop = () => execFileSync('pg_ctlcluster', [cluster.version, cluster.name, 'stop'], { stdio: 'pipe' });
  }
  const sql = `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${role} LOGIN CREATEDB PASSWORD '${role}'; END IF; END $$`;
  execFileSync('runuser', ['-u', 'postgres', '--', 'psql', '-q', '-p', String(cluster.port), '-v', 'ON_ERROR_STOP=1', '-c', sql], { stdio: 'pipe' });
  return { url: `postgres://${role}:${role}@127.0.0.1:${cluster.port}/postgres`, ...(stop ? { stop } : {}) };
}

/** The newest installed server's programs (Debian keeps them out of PATH). */
function serverPrograms(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((name) => existsSync(join(base, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] && join(base, versions[0], 'bin');
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** A throwaway cluster of our own user in a temporary folder, trusted on loopback; stop() removes it. */
async function privateCluster(): Promise<LocalPostgres | undefined> {
  const bin = serverPrograms();
  if (!bin) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-postgres-'));
  const data = join(dir, 'data');
  const port = await freePort();
  const user = userInfo().username;
  execFileSync(join(bin, 'initdb'), ['-D', data, '-U', user, '--auth=trust', '-E', 'UTF8', '--no-sync'], { stdio: 'pipe' });
  const options = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c fsync=off -c max_connections=200`;
  execFileSync(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-o', options, '-w', 'start'], { stdio: 'pipe' });
  return {
    url: `postgres://${encodeURIComponent(user)}@127.0.0.1:${port}/postgres`,
    stop: () => {
      spawnSync(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop'], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A server to use, or undefined when there is none to be had here (say so, and why, where it is used). */
export async function ensurePostgres(env: NodeJS.ProcessEnv = process.env): Promise<LocalPostgres | undefined> {
  let server: LocalPostgres | undefined;
  if (env.PAPERBOY_TEST_DATABASE_URL) server = { url: env.PAPERBOY_TEST_DATABASE_URL };
  else server = process.getuid?.() === 0 ? debianCluster() : await privateCluster();
  if (!server) return undefined;
  const client = new pg.Client({ connectionString: server.url });
  try {
    await client.connect();
    await client.end();
  } catch (error) {
    server.stop?.();
    throw error;
  }
  return server;
}

/** Why ensurePostgres() found no server, and what would give one. */
export const noPostgres =
  "no PostgreSQL server: set PAPERBOY_TEST_DATABASE_URL (a role that may create databases), or install Debian's postgresql package (.ci/run does)";

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
