/**
 * npm run bench:web — requests per second for GET /archive/DATE and POST /subscribe (rate limit
 * lifted), from autocannon on loopback, next to a bare node:http hello world measured in the
 * same run. Each server runs in its own process; the load generator runs here.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { printFigures, verdict } from './report.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const connections = 32;
const day = '2026-11-26';
const work = mkdtempSync(join(tmpdir(), 'paperboy-bench-web-'));

async function startServer(mode: 'paperboy' | 'bare') {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'web-server.js'), mode, join(work, 'data'), day], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
  return { url: `http://127.0.0.1:${JSON.parse(line).port}`, stop: () => child.stdin.end() };
}

function load(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) =>
    autocannon({ duration: seconds, connections, ...options }, (error, result) => (error ? reject(error) : resolve(result))),
  );
}

try {
  const bare = await startServer('bare');
  const baseline = await load({ url: `${bare.url}/` });
  bare.stop();

  const server = await startServer('paperboy');
  // As a browser asks for it: compressed.
  const archive = await load({ url: `${server.url}/archive/${day}`, headers: { 'accept-encoding': 'gzip, deflate, br' } });
  let next = 0;
  const subscribe = await load({
    url: `${server.url}/subscribe`,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    requests: [{ setupRequest: (request) => ({ ...request, body: `email=reader${next++}%40example.org&name=Reader&topics=agents` }) }],
  });
  server.stop();

  for (const [name, result] of Object.entries({ baseline, archive, subscribe })) {
    const bad = result.non2xx + result.errors + result.timeouts;
    if (bad > 0) throw new Error(`${name}: ${bad} failed requests`);
  }
  const ratio = archive.requests.average / baseline.requests.average;
  printFigures(`bench:web — ${connections} connections, ${seconds} s each, loopback`, [
    { name: 'bare node:http hello world (baseline)', value: baseline.requests.average, unit: `req/s (p99 ${baseline.latency.p99} ms)` },
    { name: `GET /archive/${day} (33 KB page, br)`, value: archive.requests.average, unit: `req/s (p99 ${archive.latency.p99} ms)` },
    { name: 'POST /subscribe (store + confirmation mail)', value: subscribe.requests.average, unit: `req/s (p99 ${subscribe.latency.p99} ms)` },
    { name: 'archive / baseline', value: ratio, unit: '×' },
  ]);
  verdict('archive pages', ratio >= 0.5, `${ratio.toFixed(2)}× the bare server (target ≥ 0.5×)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
