/**
 * npm run bench:startup — how long `./paperboy --help` takes (the documented way to run it) and
 * how long `paperboy bounces ingest -` takes for one report (what a Postfix pipe starts for every
 * bounce), next to a bare `node -e ""` (the floor) and `npx paperboy --help` (the way the README
 * used to show). Reports: a plain DSN (read without mailparser) and an encoded Microsoft 365 one.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printFigures, verdict } from './report.js';

const root = join(import.meta.dirname, '..', '..');
const runs = Number(process.env.BENCH_RUNS ?? 15);

/** Median wall time of a command, in milliseconds. */
function median(command: string, args: string[], input?: Buffer): number {
  const run = () => execFileSync(command, args, { cwd: root, stdio: [input ? 'pipe' : 'ignore', 'ignore', 'ignore'], ...(input ? { input } : {}) });
  run(); // warm the disk cache
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

const data = mkdtempSync(join(tmpdir(), 'paperboy-bench-startup-'));
try {
  const paperboy = join(root, 'paperboy');
  const fixture = (name: string) => readFileSync(join(root, 'test', 'fixtures', 'bounces', 'mail', name));
  execFileSync(paperboy, ['--data-dir', data, 'db', 'migrate'], { stdio: 'ignore' });
  const launcher = median(paperboy, ['--help']);
  const ingest = (mail: string) => median(paperboy, ['--data-dir', data, 'bounces', 'ingest', '-'], fixture(mail));
  const plainDsn = ingest('lhost-postfix-03.eml');
  const encodedDsn = ingest('lhost-office365-11.eml');
  const bare = median(process.execPath, ['-e', '']);
  const npx = median('npx', ['--no-install', 'paperboy', '--help']);
  printFigures(`bench:startup — median of ${runs} runs`, [
    { name: './paperboy --help', value: launcher, unit: 'ms' },
    { name: './paperboy bounces ingest - (one plain DSN, Postfix)', value: plainDsn, unit: 'ms' },
    { name: './paperboy bounces ingest - (one encoded report, Microsoft 365)', value: encodedDsn, unit: 'ms' },
    { name: 'node -e "" (baseline: Node starting)', value: bare, unit: 'ms' },
    { name: 'npx paperboy --help (what the README said before)', value: npx, unit: 'ms' },
    { name: './paperboy --help over bare node', value: launcher / bare, unit: '×' },
    { name: 'ingest of one report over bare node (the slower)', value: Math.max(plainDsn, encodedDsn) / bare, unit: '×' },
  ]);
  verdict('--help', launcher < 300, `${launcher.toFixed(0)} ms (target < 300 ms)`);
  verdict('bounces ingest of one report', Math.max(plainDsn, encodedDsn) < 500, `${Math.max(plainDsn, encodedDsn).toFixed(0)} ms (target < 500 ms)`);
} finally {
  rmSync(data, { recursive: true, force: true });
}
