/**
 * A papers archive kept by the previous schema (SQLite's migrations 1 to 11, PostgreSQL's 1 to 8:
 * an index of the raw fields, kept by triggers or generated columns) is indexed anew on upgrade, as
 * alerts read papers: a search for RAG then finds GraphRAG, one for agent a Multi-Agent title, and
 * a paper deleted afterwards leaves nothing behind in the index.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { engineMatch } from '../../src/search/index.js';
import { openStores, type Stores } from '../../src/stores/index.js';
import { postgresMigrations } from '../../src/stores/postgres/index.js';
import { migrations, openDatabase } from '../../src/stores/sqlite/index.js';
import { tempDir } from '../helpers/files.js';
import { freshDatabase, hasPostgres } from '../helpers/postgres.js';

/** Papers as the previous release kept them: [source, id, title]; keywords and authors are JSON. */
const oldPapers = [
  ['hf', '2605.00001', 'GraphRAG-Bench: Evaluating Graph Retrieval over Knowledge Graphs'],
  ['hf', '2605.00002', 'Visual Multi-Agent System: Mitigating Hallucination Snowballing'],
  ['sample', '2605.00003', 'A sample paper on retrieval for multi-agent planning'],
] as const;
const insertOld = (placeholders: string) =>
  `INSERT INTO papers (day, paper_id, upvotes, comments, source, kept_at, title, keywords, authors, summary)
   VALUES (${placeholders})`;
const oldValues = ([source, id, title]: (typeof oldPapers)[number]) => [
  '2026-05-12',
  id,
  1,
  0,
  source,
  '2026-05-12T08:00:00.000Z',
  title,
  '["retrieval"]',
  '["A. Author"]',
  'We study retrieval.',
];

const titles = async (stores: Stores, query: string) =>
  (await stores.papers.searchPapers(engineMatch([query])!, { limit: 10, offset: 0 })).hits.map((hit) => hit.paper.id);

async function searchesAfterUpgrade(stores: Stores): Promise<void> {
  expect(await titles(stores, 'RAG')).toEqual(['2605.00001']);
  expect(await titles(stores, 'agent')).toEqual(['2605.00002', '2605.00003']);
  expect(await stores.clearDemo()).toMatchObject({ papers: 1 });
  expect(await titles(stores, 'multi agent')).toEqual(['2605.00002']);
  expect((await stores.papers.searchPapers(engineMatch(['retrieval'])!, { limit: 10, offset: 0 })).total).toBe(2);
}

describe('upgrading a papers archive kept by the previous schema', () => {
  it('on SQLite', async () => {
    const dir = tempDir('paperboy-papers-migration-');
    try {
      const old = openDatabase(dir.path, { migrate: false });
      for (const step of migrations.slice(0, 11))
        if (typeof step === 'string') old.exec(step);
        else step(old);
      old.pragma('user_version = 11');
      for (const paper of oldPapers)
        old
          .prepare(
            insertOld(
              oldValues(paper)
                .map(() => '?')
                .join(', '),
            ),
          )
          .run(...oldValues(paper));
      old.close();

      const stores = await openStores(loadConfig({ env: {}, flags: { dataDir: dir.path } }));
      try {
        await searchesAfterUpgrade(stores);
      } finally {
        await stores.close();
      }
      const db = openDatabase(dir.path);
      try {
        // The index holds the two papers left, and nothing of the one taken out.
        expect(db.prepare(`SELECT count(*) AS n FROM papers_fts WHERE papers_fts MATCH '"retrieval"'`).get()).toEqual({ n: 2 });
      } finally {
        db.close();
      }
    } finally {
      dir.remove();
    }
  });

  it.skipIf(!hasPostgres)('on PostgreSQL', async () => {
    const database = await freshDatabase();
    try {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        await client.query('CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
        for (const [index, step] of postgresMigrations.slice(0, 8).entries()) {
          await client.query(step as string);
          await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [index + 1]);
        }
        for (const paper of oldPapers)
          await client.query(
            insertOld(
              oldValues(paper)
                .map((_, index) => `$${index + 1}`)
                .join(', '),
            ),
            oldValues(paper),
          );
      } finally {
        await client.end();
      }
      const dir = tempDir('paperboy-papers-migration-');
      const stores = await openStores(loadConfig({ env: {}, flags: { dataDir: dir.path, database: database.url } }));
      try {
        await searchesAfterUpgrade(stores);
      } finally {
        await stores.close();
        dir.remove();
      }
    } finally {
      await database.drop();
    }
  });
});
