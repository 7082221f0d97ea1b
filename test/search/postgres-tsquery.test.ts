/**
 * toTsquery through a real PostgreSQL: whatever a reader types, to_tsquery('english', …) accepts
 * it, and it finds the papers SQLite FTS5 finds for toFts5Match, over the same recorded days.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery, searchableText, toFts5Match, toTsquery } from '../../src/search/index.js';
import { fixturePapers } from '../helpers/papers.js';
import { freshDatabase, hasPostgres } from '../helpers/postgres.js';
import { trickyQueries } from '../helpers/queries.js';

const corpus = ['2026-05-12', '2026-08-21'].flatMap((day) => fixturePapers(day));
const fields = (paper: (typeof corpus)[number]) => [paper.title, paper.keywords.join('; '), paper.summary].map(searchableText);

describe.skipIf(!hasPostgres)('toTsquery on PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let client: pg.Client;
  const sqlite = new Database(':memory:');

  beforeAll(async () => {
    database = await freshDatabase();
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query('CREATE TABLE papers (id integer PRIMARY KEY, title text, keywords text, summary text)');
    // Each field a tsvector of its own, as FTS5 keeps columns apart: no phrase runs from one into the next.
    await client.query(
      "CREATE VIEW searchable AS SELECT id, to_tsvector('english', title) AS title, to_tsvector('english', keywords) AS keywords, to_tsvector('english', summary) AS summary FROM papers",
    );
    sqlite.exec("CREATE VIRTUAL TABLE papers USING fts5(title, keywords, summary, tokenize = 'porter unicode61')");
    for (const [index, paper] of corpus.entries()) {
      await client.query('INSERT INTO papers VALUES ($1, $2, $3, $4)', [index + 1, ...fields(paper)]);
      sqlite.prepare('INSERT INTO papers (rowid, title, keywords, summary) VALUES (?, ?, ?, ?)').run(index + 1, ...fields(paper));
    }
  });
  afterAll(async () => {
    sqlite.close();
    await client?.end();
    await database?.drop();
  });

  it('accepts whatever a reader typed', async () => {
    for (const text of trickyQueries) {
      const tsquery = toTsquery(parseQuery(text));
      if (tsquery !== undefined) await expect(client.query("SELECT to_tsquery('english', $1)", [tsquery]), JSON.stringify(text)).resolves.toBeDefined();
    }
  });

  it('finds, clause by clause in one field at a time, the papers FTS5 finds', async () => {
    const queries = [
      'mixture of experts',
      'MoE',
      'long context',
      '"long context"',
      'agent',
      'RAG',
      'video generation',
      'LLM',
      'reinforcement learning',
      'quantisation',
      '3D gaussian splatting',
      'code generation',
      'robotics',
    ];
    let answered = 0;
    for (const text of queries) {
      const query = parseQuery(text);
      // One clause per query here: FTS5 and PostgreSQL then both ask for it within a single field.
      expect(query.clauses).toHaveLength(1);
      const tsquery = toTsquery(query)!;
      const inPostgres = await client.query<{ id: number }>(
        "SELECT id FROM searchable WHERE title @@ to_tsquery('english', $1) OR keywords @@ to_tsquery('english', $1) OR summary @@ to_tsquery('english', $1) ORDER BY id",
        [tsquery],
      );
      const inSqlite = sqlite.prepare('SELECT rowid AS id FROM papers WHERE papers MATCH ? ORDER BY rowid').all(toFts5Match(query)) as { id: number }[];
      expect(
        inPostgres.rows.map((row) => row.id),
        text,
      ).toEqual(inSqlite.map((row) => row.id));
      if (inSqlite.length > 0) answered++;
    }
    expect(answered).toBeGreaterThanOrEqual(queries.length - 2);
  });
});
