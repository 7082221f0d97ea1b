/**
 * npm run bench:scale — paperboy past one machine, on one machine. Against a local SMTP sink in its
 * own process: BENCH_READERS readers (10,000) sent by 1, 2 and 4 `paperboy send` processes sharing
 * one PostgreSQL edition, next to 1 sender on SQLite, with duplicates and each sender's peak RSS.
 * Then BENCH_IMPORT rows (100,000) imported into PostgreSQL and into SQLite, and BENCH_JSON_READERS
 * readers (100,000; the docs' figure used 1,000,000) through `json:` on both, with peak RSS.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { paperboyEnv } from './bench-config.js';
import { createDatabase, ensurePostgres, noPostgres } from './local-postgres.js';
import { printFigures, verdict } from './report.js';
import { startSink } from './sink.js';

const readers = Number(process.env.BENCH_READERS ?? 10_000);
const importRows = Number(process.env.BENCH_IMPORT ?? 100_000);
const jsonReaders = Number(process.env.BENCH_JSON_READERS ?? 100_000);
const dist = import.meta.dirname;
const bin = join(dist, '..', '..', 'bin', 'paperboy.js');
const work = mkdtempSync(join(tmpdir(), 'paperboy-bench-scale-'));
const env = paperboyEnv;

interface Run {
  ms: number;
  stdout: string;
  rssMb: number;
}

/** One paperboy command in its own process (with its peak RSS reported by rss-on-exit). */
function paperboy(args: string[], options: { stdout?: 'pipe' | 'ignore' } = {}): Promise<Run> {
  const started = performance.now();
  const child = spawn(bin, args, {
    cwd: work,
    stdio: ['ignore', options.stdout ?? 'pipe', 'pipe'],
    env: { ...env, NODE_OPTIONS: `--import=${join(dist, 'rss-on-exit.js')}` },
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      const ms = performance.now() - started;
      const rssLine = stderr.trim().split('\n').at(-1) ?? '{}';
      if (code !== 0) return reject(new Error(`paperboy ${args.join(' ')} exited ${code}: ${stderr}`));
      resolve({ ms, stdout, rssMb: (JSON.parse(rssLine) as { maxRssMb: number }).maxRssMb });
    }),
  );
}

function writeConfig(name: string, config: object): string {
  const file = join(work, name);
  writeFileSync(file, JSON.stringify(config));
  return file;
}

function csv(name: string, count: number): string {
  const file = join(work, name);
  const lines = ['email,name'];
  for (let i = 0; i < count; i++) lines.push(`reader${i}@example${i % 50}.org,Reader ${i}`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const server = await ensurePostgres();
if (!server) {
  console.error(`bench:scale needs ${noPostgres}.`);
  process.exit(2);
}
const databases: { drop(): Promise<void> }[] = [];
const database = async () => {
  const created = await createDatabase(server.url, 'paperboy_bench');
  databases.push(created);
  return created.url;
};
const sink = await startSink();
try {
  const people = csv('people.csv', readers);
  const pgUrl = await database();
  await paperboy(['--data-dir', 'sqlite', 'subscribers', 'import', people]);
  await paperboy(['--database-url', pgUrl, 'subscribers', 'import', people]);

  /** `senders` processes on one edition (a day of its own), all started at once; each has a data directory of its own. */
  const sendWith = async (senders: number, store: string[], day: string, to = sink, total = readers, extra: string[] = []) => {
    const before = (await to.counts()).received;
    const started = performance.now();
    const runs = await Promise.all(
      Array.from({ length: senders }, (_, index) =>
        paperboy([
          ...store,
          ...(store.includes('--data-dir') ? [] : ['--data-dir', `sender-${day}-${index}`]),
          'send',
          '--date',
          day,
          '--source',
          'sample',
          '--transport',
          to.url,
          '--json',
          ...extra,
        ]),
      ),
    );
    const ms = performance.now() - started;
    const sent = runs.reduce((sum, run) => sum + (JSON.parse(run.stdout) as { sent: number }).sent, 0);
    const delivered = (await to.counts()).received - before;
    return {
      rate: (total * 1000) / ms,
      duplicates: delivered - total,
      sent,
      total,
      rss: Math.max(...runs.map((run) => run.rssMb)),
      shares: runs.map((run) => (JSON.parse(run.stdout) as { sent: number }).sent),
    };
  };
  // Editions a month apart: papers featured in the last selection.skipRecentDays are not repeated.
  const sqliteOne = await sendWith(1, ['--data-dir', 'sqlite'], '2026-01-01');
  const pg = [1, 2, 4].map((senders, index) => ({ senders, day: `2026-0${index + 2}-01` }));
  const pgRuns = [];
  for (const { senders, day } of pg) pgRuns.push({ senders, ...(await sendWith(senders, ['--database-url', pgUrl], day)) });

  // A relay that takes 25 ms to queue each message; each sender has 4 connections to it (and,
  // by default, 3 messages per connection in flight). Senders then wait on the relay, not on
  // the two cores, and the shared edition scales.
  const remoteReaders = Math.min(readers, 6000);
  const remoteUrl = await database();
  await paperboy(['--database-url', remoteUrl, 'subscribers', 'import', csv('remote.csv', remoteReaders)]);
  const remoteRuns = [];
  for (const [index, senders] of [1, 2, 4].entries()) {
    const remote = await startSink(25); // a relay of its own per run: its first and last acceptance time the run
    try {
      const config = writeConfig('remote.json', { delivery: { maxConnections: 4 } });
      const run = await sendWith(senders, ['--database-url', remoteUrl, '--config', config], `2026-0${index + 6}-01`, remote, remoteReaders);
      const { received, firstAt, lastAt } = await remote.counts();
      remoteRuns.push({ senders, ...run, whileSending: ((received - 1) * 1000) / (lastAt - firstAt) });
    } finally {
      remote.stop();
    }
  }

  const bigCsv = csv('import.csv', importRows);
  const importPg = await paperboy(['--database-url', await database(), 'subscribers', 'import', bigCsv]);
  const importSqlite = await paperboy(['--data-dir', 'import-sqlite', 'subscribers', 'import', bigCsv]);

  const jsonCsv = jsonReaders === importRows ? bigCsv : csv('json.csv', jsonReaders);
  const jsonPgUrl = await database();
  await paperboy(['--database-url', jsonPgUrl, 'subscribers', 'import', jsonCsv]);
  await paperboy(['--data-dir', 'json-sqlite', 'subscribers', 'import', jsonCsv]);
  const jsonPg = await paperboy(
    ['--database-url', jsonPgUrl, '--data-dir', 'json-pg', 'send', '--transport', 'json:', '--source', 'sample', '--date', '2026-01-09'],
    { stdout: 'ignore' },
  );
  const jsonSqlite = await paperboy(['--data-dir', 'json-sqlite', 'send', '--transport', 'json:', '--source', 'sample', '--date', '2026-01-09'], {
    stdout: 'ignore',
  });

  printFigures(`bench:scale — ${readers.toLocaleString('en-US')} readers to a local SMTP sink (its own process), each sender a process`, [
    {
      name: 'SQLite, 1 sender (baseline)',
      value: sqliteOne.rate,
      unit: `messages/s, ${sqliteOne.duplicates} duplicates, peak RSS ${sqliteOne.rss.toFixed(0)} MB`,
    },
    ...pgRuns.map((run) => ({
      name: `PostgreSQL, ${run.senders} sender${run.senders === 1 ? '' : 's'}`,
      value: run.rate,
      unit: `messages/s, ${run.duplicates} duplicates, peak RSS per sender ${run.rss.toFixed(0)} MB, shares ${run.shares.join(' / ')}`,
    })),
    { name: 'PostgreSQL 2 senders / 1 sender', value: pgRuns[1]!.rate / pgRuns[0]!.rate, unit: '×' },
    { name: 'PostgreSQL 1 sender / SQLite 1 sender', value: pgRuns[0]!.rate / sqliteOne.rate, unit: '×' },
  ]);
  printFigures(`bench:scale — ${remoteReaders.toLocaleString('en-US')} readers to a relay that takes 25 ms a message, 4 connections per sender`, [
    ...remoteRuns.map((run) => ({
      name: `PostgreSQL, ${run.senders} sender${run.senders === 1 ? '' : 's'}`,
      value: run.whileSending,
      unit: `messages/s while sending (${run.rate.toFixed(0)}/s with the processes' start), ${run.duplicates} duplicates, shares ${run.shares.join(' / ')}`,
    })),
    { name: '2 senders / 1 sender', value: remoteRuns[1]!.whileSending / remoteRuns[0]!.whileSending, unit: '×' },
    { name: '4 senders / 1 sender', value: remoteRuns[2]!.whileSending / remoteRuns[0]!.whileSending, unit: '×' },
  ]);
  printFigures(`bench:scale — import of ${importRows.toLocaleString('en-US')} rows (validate, merge, lists; one process each)`, [
    {
      name: 'PostgreSQL',
      value: importPg.ms / 1000,
      unit: `s (${Math.round((importRows * 1000) / importPg.ms).toLocaleString('en-US')} rows/s, peak RSS ${importPg.rssMb.toFixed(0)} MB)`,
    },
    {
      name: 'SQLite (baseline)',
      value: importSqlite.ms / 1000,
      unit: `s (${Math.round((importRows * 1000) / importSqlite.ms).toLocaleString('en-US')} rows/s, peak RSS ${importSqlite.rssMb.toFixed(0)} MB)`,
    },
  ]);
  printFigures(`bench:scale — ${jsonReaders.toLocaleString('en-US')} readers through json: (one sender, stdout discarded)`, [
    { name: 'PostgreSQL', value: (jsonReaders * 1000) / jsonPg.ms, unit: `messages/s, peak RSS ${jsonPg.rssMb.toFixed(0)} MB` },
    { name: 'SQLite (baseline)', value: (jsonReaders * 1000) / jsonSqlite.ms, unit: `messages/s, peak RSS ${jsonSqlite.rssMb.toFixed(0)} MB` },
  ]);
  verdict(
    'duplicates',
    [sqliteOne, ...pgRuns, ...remoteRuns].every((run) => run.duplicates === 0 && run.sent === run.total),
    'every reader exactly once in every run',
  );
  verdict(
    '2 senders',
    remoteRuns[1]!.whileSending / remoteRuns[0]!.whileSending >= 1.8,
    `${(remoteRuns[1]!.whileSending / remoteRuns[0]!.whileSending).toFixed(2)}× one sender against a relay with latency (target ≥ 1.8×); against the local sink ${(pgRuns[1]!.rate / pgRuns[0]!.rate).toFixed(2)}×, where the sink, PostgreSQL and the senders share 2 cores that one sender already fills`,
  );
  verdict('import', importPg.ms < 3000, `${(importPg.ms / 1000).toFixed(2)} s for ${importRows.toLocaleString('en-US')} rows into PostgreSQL (target < 3 s)`);
  verdict(
    'RSS',
    Math.max(jsonPg.rssMb, jsonSqlite.rssMb, ...pgRuns.map((run) => run.rss)) < 200,
    `peak RSS per sender ≤ ${Math.max(jsonPg.rssMb, jsonSqlite.rssMb, ...pgRuns.map((run) => run.rss)).toFixed(0)} MB (target < 200 MB)`,
  );
} finally {
  sink.stop();
  for (const created of databases) await created.drop().catch(() => undefined);
  server.stop?.();
  rmSync(work, { recursive: true, force: true });
}
