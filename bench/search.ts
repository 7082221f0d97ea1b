/**
 * npm run bench:search — BENCH_PAPERS (100,000: about 16 years of Daily Papers at 17 a day)
 * generated papers (bench/paper-corpus.ts) kept day by day in SQLite and in PostgreSQL, then a
 * few searches timed through searchPapers (a page of 20 with its total and editions, as `papers
 * search` asks: the most relevant of the newest searchWindow matches), each next to a full scan of
 * the same rows for the same words (LIKE; ILIKE on PostgreSQL) in the same run, and how many papers
 * match in all (counted apart, untimed). Each figure is the median of BENCH_RUNS (7) runs after one
 * warm-up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/config/index.js';
import type { EngineMatch } from '../src/papers/index.js';
import { engineMatch } from '../src/search/index.js';
import { openStores, type Stores } from '../src/stores/index.js';
import { openDatabase } from '../src/stores/sqlite/index.js';
import { createDatabase, ensurePostgres, noPostgres } from './local-postgres.js';
import { fixturePapers, generatePapers } from './paper-corpus.js';
import { printRelevance } from './relevance-print.js';
import { type Figure, medianMs, printFigures, verdict } from './report.js';

const paperCount = Number(process.env.BENCH_PAPERS ?? 100_000);
const runs = Number(process.env.BENCH_RUNS ?? 7);
const targetMs = 50;

interface Search {
  label: string;
  match: EngineMatch;
  /** What the full scan looks for: each of these, anywhere in title, keywords or summary. */
  like: string[];
}
/** A search as `papers search` and the search page ask it: the query language's words near each other, its synonyms. */
const words = (query: string): Search => ({ label: query, match: engineMatch([query])!, like: query.match(/[\p{L}\p{N}]+/gu)! });
/** The words next to each other (as the query language will ask for a multi-word search). */
const phrase = (query: string): Search => ({
  label: `"${query}" as a phrase`,
  match: {
    fts5: `"${query}"`,
    tsquery: query
      .split(' ')
      .map((word) => `'${word}'`)
      .join(' <-> '),
  },
  like: [query],
});
const searches = [
  words('mixture of experts'),
  words('video generation'),
  phrase('video generation'),
  words('reinforcement learning'),
  words('quantization'),
  words('multi-agent'),
  phrase('diffusion transformer'),
];
const fixtures = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'hf-daily-papers');

const median = (work: () => Promise<unknown>) => medianMs(work, runs);

/** The same search without an index: every row read, each pattern looked for in title, keywords and summary. */
function scanSql(backend: 'sqlite' | 'postgres', search: Search): string {
  const like = backend === 'sqlite' ? 'LIKE' : 'ILIKE';
  const text = backend === 'sqlite' ? `(title || ' ' || keywords || ' ' || summary)` : `(title || ' ' || keywords::text || ' ' || summary)`;
  const where = search.like.map((pattern) => `${text} ${like} '%${pattern}%'`).join(' AND ');
  return `SELECT paper_id, count(*) OVER () AS total FROM papers WHERE ${where} ORDER BY upvotes DESC LIMIT 20`;
}

interface Measured {
  fill: Figure;
  figures: Figure[];
  slowest: number;
}

/** What a backend offers the bench beside its stores: a full scan, how many papers a search matches in all (untimed), a step after the fill. */
interface Backend {
  scan(sql: string): Promise<unknown>;
  matches(match: EngineMatch): Promise<number>;
  afterFill(): Promise<void>;
}

async function measure(name: string, stores: Stores, backend: Backend): Promise<Measured> {
  const days = generatePapers(fixturePapers(fixtures), paperCount);
  const started = performance.now();
  for (const { day, papers } of days) await stores.papers.keepDay(day, 'bench', papers);
  const fillMs = performance.now() - started;
  await backend.afterFill();
  const figures: Figure[] = [];
  let slowest = 0;
  for (const search of searches) {
    const page = await stores.papers.searchPapers(search.match, { limit: 20, offset: 0 });
    const searchMs = await median(() => stores.papers.searchPapers(search.match, { limit: 20, offset: 0 }));
    const scanMs = await median(() => backend.scan(scanSql(stores.kind, search)));
    slowest = Math.max(slowest, searchMs);
    const found = page.rankedSince
      ? `${(await backend.matches(search.match)).toLocaleString('en-US')} papers, newest ${page.total} ranked`
      : `${page.total} papers`;
    figures.push({ name: `${search.label} (${found}): search, ms`, value: searchMs, unit: '' });
    figures.push({ name: `  full scan (LIKE), ms`, value: scanMs, unit: `(${(scanMs / searchMs).toFixed(0)}× the search)` });
  }
  return { fill: { name: `${name}: kept, papers/s`, value: (paperCount * 1000) / fillMs, unit: `(${(fillMs / 1000).toFixed(1)} s)` }, figures, slowest };
}

const work = mkdtempSync(join(tmpdir(), 'paperboy-bench-search-'));
const server = await ensurePostgres();
const database = server ? await createDatabase(server.url, 'paperboy_bench') : undefined;
try {
  const results: [string, Measured][] = [];
  const sqliteStores = await openStores(loadConfig({ env: {}, flags: { dataDir: work } }));
  const sqliteDb = openDatabase(work);
  try {
    results.push([
      'SQLite (FTS5)',
      await measure('SQLite', sqliteStores, {
        scan: async (sql) => sqliteDb.prepare(sql).all(),
        matches: async (match) => (sqliteDb.prepare('SELECT count(*) AS n FROM papers_fts WHERE papers_fts MATCH ?').get(match.fts5) as { n: number }).n,
        afterFill: async () => {},
      }),
    ]);
  } finally {
    sqliteDb.close();
    await sqliteStores.close();
  }
  if (database) {
    const postgresStores = await openStores(loadConfig({ env: {}, flags: { dataDir: work, database: database.url } }));
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      // As autovacuum would by then: the planner's statistics and the visibility map of the new rows.
      results.push([
        'PostgreSQL (tsvector + GIN)',
        await measure('PostgreSQL', postgresStores, {
          scan: (sql) => client.query(sql),
          matches: async (match) =>
            (
              await client.query<{ n: number }>(`SELECT count(*)::integer AS n FROM papers WHERE document @@ to_tsquery('paperboy_english', $1)`, [
                match.tsquery,
              ])
            ).rows[0]!.n,
          afterFill: async () => void (await client.query('VACUUM ANALYZE papers')),
        }),
      ]);
    } finally {
      await client.end();
      await postgresStores.close();
    }
  } else console.error(`bench:search measures SQLite only: ${noPostgres}.`);

  for (const [name, measured] of results)
    printFigures(`bench:search — ${paperCount.toLocaleString('en-US')} papers, ${name}`, [measured.fill, ...measured.figures]);
  console.log('');
  for (const [name, measured] of results) {
    verdict(`${name}, slowest search`, measured.slowest < targetMs, `${measured.slowest.toFixed(1)} ms (target < ${targetMs} ms)`);
  }
  printRelevance(join(fixtures, '..'));
} finally {
  await database?.drop();
  server?.stop?.();
  rmSync(work, { recursive: true, force: true });
}
