import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { noteStorePath, privateDirectory, privateFile } from '../../db/index.js';
import { messageOf, PaperboyError } from '../../errors.js';
import { migrations } from './migrations.js';

export type Db = Database.Database;
type Statement = Database.Statement;

export const databaseFileName = 'paperboy.db';

/**
 * Opens (creating if needed) the SQLite database in the data directory: WAL so the web server,
 * a send and the CLI can work at once, a busy timeout so writers wait instead of failing,
 * foreign keys on, and pending migrations applied.
 */
export function openDatabase(dataDir: string, options: { busyTimeoutMs?: number; migrate?: boolean } = {}): Db {
  const dir = resolve(dataDir);
  let db: Db;
  const file = join(dir, databaseFileName);
  try {
    privateDirectory(dir);
    privateFile(file);
    db = new Database(file);
    noteStorePath(file);
  } catch (error) {
    throw new PaperboyError('STORE', `Cannot open the database in ${dir}: ${messageOf(error)}; check --data-dir and its permissions.`);
  }
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  for (const companion of [`${file}-wal`, `${file}-shm`]) if (existsSync(companion)) privateFile(companion);
  if (options.migrate !== false) migrate(db);
  return db;
}

function migrate(db: Db): void {
  // Up to date (the usual case): no write lock taken, so opening never waits behind a busy writer.
  if ((db.pragma('user_version', { simple: true }) as number) === migrations.length) return;
  // BEGIN IMMEDIATE: two processes opening a new database at once must not both migrate.
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > migrations.length) {
      throw new PaperboyError('STORE', `The database is from a newer paperboy (schema ${version}); upgrade paperboy.`);
    }
    for (let next = version; next < migrations.length; next++) {
      const step = migrations[next]!;
      if (typeof step === 'string') db.exec(step);
      else step(db);
    }
    if (version < migrations.length) db.pragma(`user_version = ${migrations.length}`);
  }).immediate();
}

export const nowIso = (): string => new Date().toISOString();

/** The random id made once per store (migration 3): Message-IDs carry it, so two stores never collide. */
export function storeId(db: Db): string {
  return (db.prepare(`SELECT value FROM meta WHERE key = 'store_id'`).get() as { value: string }).value;
}

const statementCache = new WeakMap<Db, Map<string, Statement>>();

/**
 * The prepared statement for `sql` on this connection, prepared once: better-sqlite3 prepares
 * anew on every db.prepare(), which costs more than running a small statement. For statements
 * used as they are (no .pluck() or .raw(), which would change them for every other user).
 */
export function statement(db: Db, sql: string): Statement {
  let cache = statementCache.get(db);
  if (!cache) statementCache.set(db, (cache = new Map()));
  let prepared = cache.get(sql);
  if (!prepared) cache.set(sql, (prepared = db.prepare(sql)));
  return prepared;
}
