import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { redactDatabaseUrl } from '../db/index.js';
import { PaperboyError } from '../errors.js';
import { columnType, schema, type TableDescription } from './common/index.js';
import { indexEveryPaper, inTransaction, openPostgres } from './postgres/index.js';
import { type Db, openDatabase, storeId } from './sqlite/index.js';

export interface CopiedTable {
  name: string;
  columns: readonly string[];
  /** SQLite keeps these as 0 and 1. */
  booleans: readonly string[];
  /** The order db copy reads the rows in. */
  order: string;
}

/** A described table as `db copy` reads it: rows in key order, a table without a key in the order SQLite wrote them. */
function copiedTable(table: TableDescription): CopiedTable {
  const except = table.copy ? table.copy.except : [];
  const columns = Object.keys(table.columns).filter((column) => !except.includes(column));
  const booleans = columns.filter((column) => columnType(table.columns[column]!).type === 'boolean');
  return { name: table.name, columns, booleans, order: table.key.length > 0 ? table.key.join(', ') : 'rowid' };
}

/**
 * What `db copy` moves, table by table, from the schema description (common/schema.ts), in its
 * order, which keeps every reference valid. Ids are kept (signed links name subscribers by id)
 * and so is the store id (Message-IDs carry it), so an edition half sent from SQLite resumes on
 * PostgreSQL without anyone getting it twice.
 */
export const copiedTables: readonly CopiedTable[] = schema.filter((table) => table.copy !== false).map(copiedTable);

/** Tables with a serial id: their sequences continue after the copied ids. */
const serialTables = schema.filter((table) => Object.values(table.columns).includes('serial')).map((table) => table.name);

export interface CopyReport {
  storeId: string;
  tables: { name: string; rows: number }[];
}

/** Streams one SQLite table into PostgreSQL with COPY (CSV): memory stays flat whatever its size. */
async function copyTable(source: Db, client: pg.PoolClient, table: CopiedTable): Promise<void> {
  const rows = source.prepare(`SELECT ${table.columns.join(', ')} FROM ${table.name} ORDER BY ${table.order}`).iterate() as Iterable<Record<string, unknown>>;
  const booleans = new Set(table.booleans);
  const records = Readable.from(
    (function* () {
      for (const row of rows) yield table.columns.map((column) => (booleans.has(column) && row[column] !== null ? (row[column] ? 't' : 'f') : row[column]));
    })(),
  );
  // COPY reads an unquoted empty field as NULL and a quoted one as an empty string: quote the strings that are empty.
  const csv = stringify({ quoted_match: /^$/, cast: { number: String } });
  const target = client.query(copyFrom(`COPY ${table.name} (${table.columns.join(', ')}) FROM STDIN WITH (FORMAT csv)`));
  await pipeline(records, csv, target);
}

async function targetIsEmpty(client: pg.PoolClient): Promise<boolean> {
  const { rows } = await client.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM subscribers) + (SELECT count(*) FROM editions) + (SELECT count(*) FROM lists WHERE name <> 'default') AS n`,
  );
  return rows[0]!.n === 0;
}

/**
 * Copies the SQLite store of `dataDir` into an empty PostgreSQL database (migrated first), in one
 * transaction, then checks that every table holds as many rows as the source.
 */
export async function copyToPostgres(dataDir: string, url: string): Promise<CopyReport> {
  const source = openDatabase(dataDir);
  const pool = await openPostgres(url);
  try {
    const id = storeId(source);
    await inTransaction(pool, async (client) => {
      if (!(await targetIsEmpty(client))) {
        throw new PaperboyError('INPUT', `${redactDatabaseUrl(url)} already holds subscribers or editions; db copy only fills an empty database.`);
      }
      await client.query(`DELETE FROM lists`); // the migration's own default list: the copy brings the real one
      await client.query(`UPDATE meta SET value = $1 WHERE key = 'store_id'`, [id]);
      // Rows as they are: what the target's triggers would derive from them (the readers' daily
      // counts) is copied too, and must not be counted twice.
      for (const table of copiedTables) await client.query(`ALTER TABLE ${table.name} DISABLE TRIGGER USER`);
      for (const table of copiedTables) await copyTable(source, client, table);
      for (const table of copiedTables) await client.query(`ALTER TABLE ${table.name} ENABLE TRIGGER USER`);
      await indexEveryPaper(client); // the papers' words: PostgreSQL's own index, made from the copied rows
      for (const name of serialTables) {
        await client.query(`SELECT setval(pg_get_serial_sequence('${name}', 'id'), coalesce((SELECT max(id) FROM ${name}), 0) + 1, false)`);
      }
    });
    const report: CopyReport = { storeId: id, tables: [] };
    for (const table of copiedTables) {
      const from = (source.prepare(`SELECT count(*) AS n FROM ${table.name}`).get() as { n: number }).n;
      const to = (await pool.query<{ n: number }>(`SELECT count(*) AS n FROM ${table.name}`)).rows[0]!.n;
      if (from !== to)
        throw new PaperboyError('STORE', `The copy of ${table.name} holds ${to} rows where the SQLite store has ${from}; nothing should use the copy.`);
      report.tables.push({ name: table.name, rows: to });
    }
    return report;
  } finally {
    source.close();
    await pool.end();
  }
}
