/**
 * npm run bench:admin — the admin dashboard's queries on a generated store of BENCH_READERS
 * (1,000,000) readers over a year and 30 daily editions (bench/admin-store.ts), on SQLite and on
 * PostgreSQL: the overview (365 days, the 30 editions, the complaint rate) and an edition's page,
 * next to a bare `SELECT count(*) FROM subscribers` in the same run; then the same pages while a
 * send holds the newest edition (counted live), and one poll of the running sends. Each figure is
 * the median of BENCH_RUNS (15) runs after one warm-up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { daysUpTo } from '../src/admin/index.js';
import { loadConfig } from '../src/config/index.js';
import { openStores, type Stores } from '../src/stores/index.js';
import { applyPostgresMigration, openPostgres, postgresMigrations } from '../src/stores/postgres/index.js';
import { migrations, openDatabase } from '../src/stores/sqlite/index.js';
import {
  deliveriesSql,
  type GeneratedEdition,
  type GenerationDialect,
  keptCountsSql,
  postgresGeneration,
  readersSql,
  reportsSql,
  sqliteGeneration,
} from './admin-store.js';
import { createDatabase, ensurePostgres, noPostgres } from './local-postgres.js';
import { type Figure, medianMs, printFigures, verdict } from './report.js';

const readers = Number(process.env.BENCH_READERS ?? 1_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 15);
const fullEditions = Number(process.env.BENCH_FULL_EDITIONS ?? 3);
const targetMs = 200;
const now = new Date();
const nowSeconds = Math.floor(now.getTime() / 1000);
/** The schema before the admin dashboard's step: the store is written as that version kept it, then opened (migrated). */
const dashboardStep = (step: unknown) => typeof step === 'string' && step.includes('CREATE TABLE reader_status_days');

/** Plain SQL on the store under test, beside paperboy's own connection. */
interface Raw {
  exec(sql: string): Promise<void>;
  count(): Promise<number>;
  close(): Promise<void>;
}

const papers = (day: string) =>
  JSON.stringify(
    Array.from({ length: 10 }, (_, index) => ({
      id: `2601.${String(index).padStart(5, '0')}`,
      title: `A generated paper, number ${index + 1}`,
      summary: 'What the paper is about.',
      authors: ['A. Author'],
      upvotes: 100 - index,
      comments: 0,
      day,
      keywords: [],
    })),
  );

/** The last 30 days before today, each with its edition going out at 07:00 UTC. */
const editionDays = daysUpTo(new Date(now.getTime() - 86_400_000), 30);

const median = (work: () => Promise<unknown>) => medianMs(work, runs);

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** Readers, editions, ledgers and reports written in bulk into a store of the previous schema; returns the editions, newest first. */
async function generate(raw: Raw, d: GenerationDialect): Promise<GeneratedEdition[]> {
  for (const sql of readersSql(d, readers, nowSeconds)) await raw.exec(sql);
  const editions: GeneratedEdition[] = [];
  for (const [index, day] of editionDays.entries()) {
    const at = Date.parse(`${day}T07:00:00Z`) / 1000;
    await raw.exec(`INSERT INTO editions (list_id, day, source, papers, templates, templates_version, created_at, completed_at)
      VALUES (1, '${day}', 'hf', '${papers(day)}', '{}', 'bench', ${d.time(String(at))}, ${d.time(String(at + 600))})`);
    editions.unshift({ id: index + 1, day, at });
  }
  for (const edition of editions.slice(0, fullEditions)) await raw.exec(deliveriesSql(d, edition, readers));
  for (const edition of editions) await raw.exec(reportsSql(d, edition));
  return editions;
}

interface Measured {
  backend: string;
  figures: Figure[];
  overviewMs: number;
}

async function measure(backend: string, flags: Record<string, unknown>, raw: () => Promise<Raw>, d: GenerationDialect, work: string): Promise<Measured> {
  const generation = await raw();
  let editions: GeneratedEdition[] = [];
  const generateMs = await timed(async () => (editions = await generate(generation, d)));
  await generation.close();
  let stores: Stores | undefined;
  const upgradeMs = await timed(async () => (stores = await openStores(loadConfig({ env: {}, flags: { dataDir: work, ...flags } }))));
  const plain = await raw();
  for (const edition of editions.slice(fullEditions)) await plain.exec(keptCountsSql(d, edition));
  // What autovacuum does to fresh tables on a server (visibility map, statistics); a SQLite store is used as paperboy leaves it.
  if (stores!.kind === 'postgres') await plain.exec('VACUUM ANALYZE');
  const admin = stores!.adminQueries;
  const newest = editions[0]!.id;
  const overview = () => admin.overview({ days: 365, editions: 30, now });
  try {
    const countMs = await median(() => plain.count());
    const firstMs = await timed(overview);
    const overviewMs = await median(overview);
    const editionMs = await median(() => admin.edition(newest));
    const sent = (await admin.edition(newest))!.edition.total;
    await stores!.ledger.startRun(newest, 'bench:live', { leaseMs: 3_600_000, exclusive: false });
    const liveEditionMs = await median(() => admin.edition(newest));
    const runningMs = await median(() => admin.running(new Date()));
    const liveOverviewMs = await median(overview);
    await stores!.ledger.endRun(newest, 'bench:live');
    const figures: Figure[] = [
      { name: 'generate (bulk SQL, the previous schema)', value: generateMs / 1000, unit: 's' },
      { name: "open: the migration tells every reader's history", value: upgradeMs / 1000, unit: 's' },
      { name: 'bare SELECT count(*) FROM subscribers (baseline)', value: countMs, unit: 'ms' },
      { name: 'overview, first read (counts the finished ledgers once)', value: firstMs, unit: 'ms' },
      { name: 'overview: 365 days, 30 editions, complaint rate', value: overviewMs, unit: 'ms' },
      { name: `edition page (${sent.toLocaleString('en-US')} messages, kept counts)`, value: editionMs, unit: 'ms' },
      { name: 'while a send holds it: edition page (counted live)', value: liveEditionMs, unit: 'ms' },
      { name: 'while a send holds it: running sends (one poll)', value: runningMs, unit: 'ms' },
      { name: 'while a send holds it: overview', value: liveOverviewMs, unit: 'ms' },
      { name: 'overview / count(*)', value: overviewMs / countMs, unit: '×' },
    ];
    return { backend, figures, overviewMs };
  } finally {
    await plain.close();
    await stores!.close();
  }
}

function sqliteRaw(dir: string): () => Promise<Raw> {
  let first = true;
  return async () => {
    const db = openDatabase(dir, { migrate: false });
    if (first) {
      first = false;
      const version = migrations.findIndex(dashboardStep);
      for (const step of migrations.slice(0, version))
        if (typeof step === 'string') db.exec(step);
        else step(db);
      db.pragma(`user_version = ${version}`);
    }
    return {
      exec: async (sql) => void db.exec(sql),
      count: async () => (db.prepare('SELECT count(*) AS n FROM subscribers').get() as { n: number }).n,
      close: async () => void db.close(),
    };
  };
}

function postgresRaw(url: string): () => Promise<Raw> {
  let first = true;
  return async () => {
    const pool = await openPostgres(url, { migrate: false });
    if (first) {
      first = false;
      await pool.query('CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
      for (const [index, step] of postgresMigrations.slice(0, postgresMigrations.findIndex(dashboardStep)).entries()) {
        await applyPostgresMigration(pool, step);
        await pool.query('INSERT INTO schema_migrations (version) VALUES ($1)', [index + 1]);
      }
    }
    return {
      exec: async (sql) => void (await pool.query(sql)),
      count: async () => Number((await pool.query<{ n: number }>('SELECT count(*) AS n FROM subscribers')).rows[0]!.n),
      close: () => pool.end(),
    };
  };
}

const work = mkdtempSync(join(tmpdir(), 'paperboy-bench-admin-'));
const server = await ensurePostgres();
if (!server) console.error(`bench:admin measures SQLite only: ${noPostgres}.`);
const database = server ? await createDatabase(server.url, 'paperboy_bench') : undefined;
/** Measures one backend and prints its figures at once (the other may take minutes more). */
async function report(...args: Parameters<typeof measure>): Promise<Measured> {
  const result = await measure(...args);
  printFigures(
    `bench:admin — ${result.backend}: ${readers.toLocaleString('en-US')} readers over a year, 30 editions (the newest ${fullEditions} with a ledger row per reader, the others as the counts the store keeps once an edition is finished); medians of ${runs}`,
    result.figures,
  );
  return result;
}

try {
  const results = [await report('SQLite', {}, sqliteRaw(join(work, 'sqlite')), sqliteGeneration, join(work, 'sqlite'))];
  if (database) results.push(await report('PostgreSQL', { database: database.url }, postgresRaw(database.url), postgresGeneration, join(work, 'postgres')));
  console.log('');
  for (const result of results)
    verdict(`overview on ${result.backend}`, result.overviewMs < targetMs, `${result.overviewMs.toFixed(1)} ms (target < ${targetMs} ms)`);
} finally {
  await database?.drop();
  server?.stop?.();
  rmSync(work, { recursive: true, force: true });
}
