/**
 * The schema description (src/stores/common/schema.ts) against what each backend's migrations
 * create on a fresh store: the same tables, the same columns, each column's type the backend's
 * spelling of its logical type, the same nullability and primary keys. A column added to one
 * backend only, or to the migrations and not the description, fails here by table and column.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type Backend,
  bookkeepingTables,
  columnsOn,
  columnType,
  type LogicalType,
  schema,
  searchIndexes,
  typeSpelling,
} from '../../src/stores/common/index.js';
import { openPostgres, postgresMigrations } from '../../src/stores/postgres/index.js';
import { migrations, openDatabase } from '../../src/stores/sqlite/index.js';
import { tempDir } from '../helpers/cli.js';
import { freshDatabase, hasPostgres } from '../helpers/postgres.js';

interface TableFound {
  columns: Map<string, { type: string; nullable: boolean }>;
  key: string[];
}
type SchemaFound = Map<string, TableFound>;

const nullability = (nullable: boolean) => (nullable ? 'nullable' : 'NOT NULL');

/** Where a backend's schema and the description part, one line each; `spell` gives the backend's name of a logical type. */
function differences(backend: Backend, found: SchemaFound, spell: (type: LogicalType) => string): string[] {
  const lines: string[] = [];
  const database = backend === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  for (const name of found.keys()) {
    if (!schema.some((table) => table.name === name) && !bookkeepingTables[backend].includes(name) && !searchIndexes[backend].tables.includes(name))
      lines.push(`${name}: a table ${database} has and the description does not`);
  }
  for (const name of searchIndexes[backend].tables) if (!found.has(name)) lines.push(`${name}: a search index table ${database} should have and has not`);
  for (const table of schema) {
    const actual = found.get(table.name);
    if (!actual) {
      lines.push(`${table.name}: described, but ${database} has no such table`);
      continue;
    }
    const described = columnsOn(table, backend);
    const searchColumns = searchIndexes[backend].columns[table.name] ?? {};
    for (const [column, type] of Object.entries(searchColumns)) {
      const have = actual.columns.get(column)?.type;
      if (have !== type) lines.push(`${table.name}.${column}: a search index column of type ${type}, ${database} has ${have ?? 'none'}`);
    }
    for (const column of actual.columns.keys())
      if (!(column in described) && !(column in searchColumns)) lines.push(`${table.name}.${column}: in ${database}, not in the description`);
    for (const [column, spec] of Object.entries(described)) {
      const have = actual.columns.get(column);
      const { type, nullable } = columnType(spec);
      if (!have) lines.push(`${table.name}.${column}: described, not in ${database}`);
      else if (have.type !== spell(type)) lines.push(`${table.name}.${column}: described as ${type} (${spell(type)}), ${database} has ${have.type}`);
      else if (have.nullable !== nullable)
        lines.push(`${table.name}.${column}: described as ${nullability(nullable)}, ${database} has it ${nullability(have.nullable)}`);
    }
    if (actual.key.join(', ') !== table.key.join(', '))
      lines.push(`${table.name}: described with the key (${table.key.join(', ')}), ${database} has (${actual.key.join(', ')})`);
  }
  return lines;
}

function sqliteSchema(dataDir: string): SchemaFound {
  const db = openDatabase(dataDir);
  try {
    const tables = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).pluck().all() as string[];
    return new Map(
      tables.map((table) => {
        const rows = db.prepare('SELECT name, type, "notnull", pk FROM pragma_table_info(?)').all(table) as {
          name: string;
          type: string;
          notnull: number;
          pk: number;
        }[];
        // A key column counts as NOT NULL: PostgreSQL makes it so; in SQLite an INTEGER key is the
        // rowid, and a TEXT one (meta, delivery_runs) is declared without NOT NULL but always written.
        const columns = new Map(rows.map((row) => [row.name, { type: row.type, nullable: row.notnull === 0 && row.pk === 0 }]));
        const key = rows
          .filter((row) => row.pk > 0)
          .sort((a, b) => a.pk - b.pk)
          .map((row) => row.name);
        return [table, { columns, key }];
      }),
    );
  } finally {
    db.close();
  }
}

/** The fresh database's schema, and PostgreSQL's own name for each spelling (timestamptz is "timestamp with time zone"). */
async function postgresSchema(url: string): Promise<{ found: SchemaFound; canonical: Map<string, string> }> {
  const pool = await openPostgres(url);
  try {
    const columns = await pool.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string; column_default: string | null }>(
      `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = current_schema()`,
    );
    const keys = await pool.query<{ table_name: string; column_name: string }>(
      `SELECT tc.table_name, kcu.column_name FROM information_schema.table_constraints tc
         JOIN information_schema.key_column_usage kcu ON kcu.constraint_schema = tc.constraint_schema AND kcu.constraint_name = tc.constraint_name
       WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = current_schema() ORDER BY tc.table_name, kcu.ordinal_position`,
    );
    const spellings = await pool.query<{ spelled: string; canonical: string }>(
      `SELECT spelled, coalesce(format_type(to_regtype(spelled), NULL), spelled) AS canonical FROM unnest($1::text[]) AS spelled`,
      [Object.values(typeSpelling.postgres)],
    );
    const found: SchemaFound = new Map();
    for (const row of columns.rows) {
      if (!found.has(row.table_name)) found.set(row.table_name, { columns: new Map(), key: [] });
      // bigserial is a bigint whose default is the next value of its own sequence.
      const type = row.data_type === 'bigint' && row.column_default?.startsWith('nextval(') ? 'bigserial' : row.data_type;
      found.get(row.table_name)!.columns.set(row.column_name, { type, nullable: row.is_nullable === 'YES' });
    }
    for (const row of keys.rows) found.get(row.table_name)?.key.push(row.column_name);
    return { found, canonical: new Map(spellings.rows.map((row) => [row.spelled, row.canonical])) };
  } finally {
    await pool.end();
  }
}

describe('the schema description', () => {
  it('is what the SQLite migrations create', () => {
    const dir = tempDir('paperboy-schema-parity-');
    try {
      expect(differences('sqlite', sqliteSchema(dir.path), (type) => typeSpelling.sqlite[type])).toEqual([]);
    } finally {
      dir.remove();
    }
  });

  it.skipIf(!hasPostgres)('is what the PostgreSQL migrations create', async () => {
    const database = await freshDatabase();
    try {
      const { found, canonical } = await postgresSchema(database.url);
      expect(differences('postgres', found, (type) => canonical.get(typeSpelling.postgres[type])!)).toEqual([]);
    } finally {
      await database.drop();
    }
  });
});

describe('the shipped migrations', () => {
  // Both backends now build their steps from shared parts (common/migrations.ts): a change to
  // one would change a database's history. New steps go after these; a function step is not pinned.
  const fingerprint = (step: unknown) => (typeof step === 'string' ? createHash('sha256').update(step).digest('hex').slice(0, 16) : null);

  it('keep their text, step for step', () => {
    expect(migrations.slice(0, 11).map(fingerprint)).toEqual([
      '680d469ad107cdce',
      '169884ca86b47735',
      '6b76ff2516d59017',
      null,
      'a7159535c66e003e',
      'f96ae95ed8f33e75',
      '3dcb5841dbab412c',
      'a68dfc673b54f99d',
      'd9645c92e81dcc2b',
      'b20743b43d722744',
      '4c3565356a54d9df',
    ]);
    expect(postgresMigrations.slice(0, 8).map(fingerprint)).toEqual([
      'c504c09f53d67025',
      '348a9c01d1f8dbc3',
      'c32d44f127aa28e2',
      'ebf73717fdab76d1',
      '3a0a123de4c7e7c7',
      'aa1e882f6eb40340',
      '9133a91b772262f4',
      '091ea3cd1521a329',
    ]);
  });
});
