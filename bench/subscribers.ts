/**
 * npm run bench:subscribers — import a generated 100,000-row CSV and export it again, each in
 * its own process (so peak RSS is the operation's own), next to a bare-SQLite baseline.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printFigures, verdict } from './report.js';

const rowCount = Number(process.env.BENCH_ROWS ?? 100_000);
const work = mkdtempSync(join(tmpdir(), 'paperboy-bench-'));
const csv = join(work, 'subscribers.csv');
const topics = ['nlp', 'vision', 'robotics', 'audio', 'agents'];
const lines = ['email,name,topics'];
for (let i = 0; i < rowCount; i++) lines.push(`reader${i}@example${i % 97}.org,Reader ${i},${topics[i % 5]};${topics[(i + 2) % 5]}`);
writeFileSync(csv, `${lines.join('\n')}\n`);

interface Run {
  rows: number;
  ms: number;
  maxRssMb: number;
}
const worker = join(import.meta.dirname, 'subscribers-worker.js');
const run = (operation: string, dataDir: string, file: string): Run =>
  JSON.parse(
    execFileSync(process.execPath, [worker, operation, join(work, dataDir), file], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .at(-1)!,
  );

try {
  const imported = run('import', 'store', csv);
  const exported = run('export', 'store', join(work, 'export.csv'));
  const baseImport = run('baseline-import', 'baseline', csv);
  const baseExport = run('baseline-export', 'baseline', join(work, 'baseline-export.csv'));
  const rate = (r: Run) => (r.rows * 1000) / r.ms;
  printFigures(`bench:subscribers — ${rowCount.toLocaleString('en-US')} rows`, [
    {
      name: 'import (validate, merge, lists), rows/s',
      value: rate(imported),
      unit: `(${(imported.ms / 1000).toFixed(2)} s, peak RSS ${imported.maxRssMb.toFixed(0)} MB)`,
    },
    {
      name: 'baseline: parse + bare INSERT, rows/s',
      value: rate(baseImport),
      unit: `(${(baseImport.ms / 1000).toFixed(2)} s, peak RSS ${baseImport.maxRssMb.toFixed(0)} MB)`,
    },
    {
      name: 'export (paged, with lists), rows/s',
      value: rate(exported),
      unit: `(${(exported.ms / 1000).toFixed(2)} s, peak RSS ${exported.maxRssMb.toFixed(0)} MB)`,
    },
    {
      name: 'baseline: one SELECT → CSV, rows/s',
      value: rate(baseExport),
      unit: `(${(baseExport.ms / 1000).toFixed(2)} s, peak RSS ${baseExport.maxRssMb.toFixed(0)} MB)`,
    },
    { name: 'import / baseline', value: rate(imported) / rate(baseImport), unit: '×' },
    { name: 'export / baseline', value: rate(exported) / rate(baseExport), unit: '×' },
  ]);
  if (imported.rows !== rowCount || exported.rows !== rowCount) throw new Error(`row counts differ: ${imported.rows} / ${exported.rows}`);
  verdict('import time', imported.ms < 5000, `${(imported.ms / 1000).toFixed(2)} s (target < 5 s)`);
  verdict('export time', exported.ms < 2000, `${(exported.ms / 1000).toFixed(2)} s (target < 2 s)`);
  const peak = Math.max(imported.maxRssMb, exported.maxRssMb);
  verdict('peak RSS', peak < 200, `${peak.toFixed(0)} MB (target < 200 MB)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
