/**
 * A store made by the version before the admin dashboard, upgraded: the readers it already holds
 * get a history told from their rows' times (added, confirmed, left), and from then on the
 * triggers keep it. The same readers on both backends, written as that version wrote them.
 */
import { describe, expect, it } from 'vitest';
import type { StatusCounts } from '../../src/admin/index.js';
import { loadConfig } from '../../src/config/index.js';
import { openStores, type Stores } from '../../src/stores/index.js';
import { applyPostgresMigration, openPostgres, postgresMigrations } from '../../src/stores/postgres/index.js';
import { migrations, openDatabase } from '../../src/stores/sqlite/index.js';
import { tempDir } from '../helpers/files.js';
import { freshDatabase, hasPostgres } from '../helpers/postgres.js';

const before = (step: unknown) => typeof step === 'string' && step.includes('CREATE TABLE reader_status_days');

/** [email, status, created, confirmed, left]: times on January 2026 days, as the previous version kept them. */
const people: [string, string, string, string | null, string | null][] = [
  ['imported@example.org', 'active', '2026-01-05T08:00:00.000Z', '2026-01-05T08:00:00.000Z', null],
  ['confirmed@example.org', 'active', '2026-01-06T08:00:00.000Z', '2026-01-08T09:00:00.000Z', null],
  ['waiting@example.org', 'pending', '2026-01-07T08:00:00.000Z', null, null],
  ['left@example.org', 'unsubscribed', '2026-01-06T10:00:00.000Z', '2026-01-08T10:00:00.000Z', '2026-01-10T10:00:00.000Z'],
  ['bounced@example.org', 'bounced', '2026-01-09T08:00:00.000Z', null, '2026-01-09T08:00:00.000Z'],
  ['complained@example.org', 'complained', '2026-01-05T09:00:00.000Z', '2026-01-05T09:00:00.000Z', '2026-01-12T09:00:00.000Z'],
];
const insert = (placeholders: string) =>
  `INSERT INTO subscribers (email, email_key, status, source, created_at, confirmed_at, unsubscribed_at) VALUES (${placeholders})`;
const readers = (counts: Partial<StatusCounts>): StatusCounts => ({ pending: 0, active: 0, unsubscribed: 0, bounced: 0, complained: 0, ...counts });

/** Opens the old store of `flags` (migrating it) and checks what the dashboard makes of its readers. */
async function checkUpgraded(flags: Record<string, unknown>): Promise<void> {
  const stores = await openStores(loadConfig({ env: {}, flags }));
  try {
    await dashboardOf(stores);
  } finally {
    await stores.close();
  }
}

async function dashboardOf(stores: Stores): Promise<void> {
  const overview = await stores.adminQueries.overview({ days: 9, editions: 5, now: new Date('2026-01-12T12:00:00Z') });
  expect(overview.days.map(({ day, counts }) => [day.slice(5), counts])).toEqual([
    ['01-04', readers({})],
    ['01-05', readers({ active: 2 })],
    ['01-06', readers({ active: 2, pending: 2 })],
    ['01-07', readers({ active: 2, pending: 3 })],
    ['01-08', readers({ active: 4, pending: 1 })],
    ['01-09', readers({ active: 4, pending: 1, bounced: 1 })],
    ['01-10', readers({ active: 3, pending: 1, bounced: 1, unsubscribed: 1 })],
    ['01-11', readers({ active: 3, pending: 1, bounced: 1, unsubscribed: 1 })],
    ['01-12', readers({ active: 2, pending: 1, bounced: 1, unsubscribed: 1, complained: 1 })],
  ]);
  expect(overview.flows.map(({ joined, lost }) => [joined, lost])).toEqual([
    [0, 0],
    [2, 0],
    [0, 0],
    [0, 0],
    [2, 0],
    [0, 0],
    [0, 1],
    [0, 0],
    [0, 1],
  ]);
  const left = (await stores.adminQueries.reader('left@example.org'))!;
  expect(left.history.map(({ at, status, reason }) => [at, status, reason])).toEqual([
    ['2026-01-06T10:00:00.000Z', 'pending', 'added (import)'],
    ['2026-01-08T10:00:00.000Z', 'active', 'confirmed'],
    ['2026-01-10T10:00:00.000Z', 'unsubscribed', 'unsubscribed'],
  ]);
  expect((await stores.adminQueries.reader('bounced@example.org'))!.history.map(({ status }) => status)).toEqual(['bounced']);
  // From now on the triggers keep it.
  await stores.subscribers.setStatus((await stores.subscribers.findByEmail('waiting@example.org'))!.id, 'active');
  expect((await stores.adminQueries.overview({ days: 1, editions: 0, now: new Date() })).now).toEqual(
    readers({ active: 3, bounced: 1, unsubscribed: 1, complained: 1 }),
  );
}

describe('a store from before the admin dashboard, upgraded', () => {
  it('on SQLite', async () => {
    const dir = tempDir('paperboy-admin-upgrade-');
    try {
      const old = openDatabase(dir.path, { migrate: false });
      const version = migrations.findIndex(before);
      for (const step of migrations.slice(0, version))
        if (typeof step === 'string') old.exec(step);
        else step(old);
      old.pragma(`user_version = ${version}`);
      for (const [email, ...rest] of people) old.prepare(insert("?, ?, ?, 'import', ?, ?, ?")).run(email, email, ...rest);
      old.close();
      await checkUpgraded({ dataDir: dir.path });
    } finally {
      dir.remove();
    }
  });

  it.skipIf(!hasPostgres)('on PostgreSQL', async () => {
    const database = await freshDatabase();
    const dir = tempDir('paperboy-admin-upgrade-');
    try {
      const old = await openPostgres(database.url, { migrate: false });
      const version = postgresMigrations.findIndex(before);
      await old.query('CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
      for (const [index, step] of postgresMigrations.slice(0, version).entries()) {
        await applyPostgresMigration(old, step);
        await old.query('INSERT INTO schema_migrations (version) VALUES ($1)', [index + 1]);
      }
      for (const [email, ...rest] of people) await old.query(insert("$1, $1, $2, 'import', $3, $4, $5"), [email, ...rest]);
      await old.end();
      await checkUpgraded({ dataDir: dir.path, database: database.url });
    } finally {
      dir.remove();
      await database.drop();
    }
  });
});
