/**
 * npm run bench:startup — how long `./paperboy --help` takes (the documented way to run it),
 * next to a bare `node -e ""` (the floor) and `npx paperboy --help` (the way the README used to show).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { printFigures, verdict } from './report.js';

const root = join(import.meta.dirname, '..', '..');
const runs = Number(process.env.BENCH_RUNS ?? 15);

/** Median wall time of a command, in milliseconds. */
function median(command: string, args: string[]): number {
  execFileSync(command, args, { cwd: root, stdio: 'ignore' }); // warm the disk cache
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    execFileSync(command, args, { cwd: root, stdio: 'ignore' });
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

const launcher = median(join(root, 'paperboy'), ['--help']);
const bare = median(process.execPath, ['-e', '']);
const npx = median('npx', ['--no-install', 'paperboy', '--help']);
printFigures(`bench:startup — median of ${runs} runs`, [
  { name: './paperboy --help', value: launcher, unit: 'ms' },
  { name: 'node -e "" (baseline: Node starting)', value: bare, unit: 'ms' },
  { name: 'npx paperboy --help (what the README said before)', value: npx, unit: 'ms' },
  { name: './paperboy over bare node', value: launcher / bare, unit: '×' },
]);
verdict('--help', launcher < 300, `${launcher.toFixed(0)} ms (target < 300 ms)`);
