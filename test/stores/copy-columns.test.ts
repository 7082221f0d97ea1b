import { describe, expect, it } from 'vitest';
import { searchIndexes } from '../../src/stores/common/index.js';
import { copiedTables } from '../../src/stores/copy.js';
import { openDatabase } from '../../src/stores/sqlite/index.js';
import { tempDir } from '../helpers/files.js';

/**
 * What a copy leaves behind on purpose: the state of runs going on (none is, during a copy),
 * SQLite's full-text index of the papers (PostgreSQL builds its own from the copied rows), and
 * the admin side's sign-in state (whoever was signed in signs in again; the audit trail is copied).
 */
const notCopied = new Set([
  'meta',
  'delivery_runs',
  'send_pacing',
  'sqlite_sequence',
  'deliveries.claimed_by',
  ...searchIndexes.sqlite.tables,
  'admin_sessions',
  'admin_links',
  'admin_login_failures',
]);

describe('db copy', () => {
  it('moves every column of every table a SQLite store has', () => {
    const dir = tempDir('paperboy-copy-columns-');
    const db = openDatabase(dir.path);
    try {
      const tables = (db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[]).map(
        (row) => row.name,
      );
      const left = tables.flatMap((table) => {
        if (notCopied.has(table)) return [];
        const copied = copiedTables.find((each) => each.name === table);
        if (!copied) return [table];
        const columns = (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((row) => `${table}.${row.name}`);
        return columns.filter((column) => !notCopied.has(column) && !copied.columns.includes(column.slice(table.length + 1)));
      });
      expect(left).toEqual([]);
    } finally {
      db.close();
      dir.remove();
    }
  });

  it('leaves out nothing but those', () => {
    const copied = copiedTables.flatMap((table) => [table.name, ...table.columns.map((column) => `${table.name}.${column}`)]);
    expect(copied.filter((name) => notCopied.has(name))).toEqual([]);
  });

  it('fills the tables in an order that keeps every reference valid, reads rows in key order, and turns 0 and 1 into booleans', () => {
    expect(copiedTables.map(({ name, order, booleans }) => ({ name, order, booleans }))).toEqual([
      { name: 'lists', order: 'id', booleans: ['public'] },
      { name: 'subscribers', order: 'id', booleans: ['demo'] },
      { name: 'list_members', order: 'list_id, subscriber_id', booleans: [] },
      { name: 'editions', order: 'id', booleans: [] },
      { name: 'deliveries', order: 'edition_id, subscriber_id', booleans: [] },
      { name: 'confirmation_sends', order: 'rowid', booleans: [] }, // no key: in the order the limits were written
      { name: 'used_tokens', order: 'token', booleans: [] },
      { name: 'bounce_events', order: 'id', booleans: ['hard'] },
      { name: 'papers', order: 'id', booleans: [] },
      { name: 'admin_audit', order: 'id', booleans: [] },
      { name: 'subscriber_events', order: 'id', booleans: [] },
      { name: 'reader_status_days', order: 'day, status, slot', booleans: [] },
      { name: 'edition_counts', order: 'edition_id', booleans: [] },
    ]);
  });
});
