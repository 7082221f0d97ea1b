/**
 * npm run bench:send — 10,000 subscribers delivered to a local smtp-server sink running in its
 * own process, through (a) paperboy's real send path (store, ledger, render, transport),
 * (b) plain nodemailer with its default pool options sending the same messages, and (c) a
 * bare pipelining SMTP client (the ceiling). Then 100,000 subscribers through `json:` in a
 * child process, with its peak RSS.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { deliverEdition } from '../src/pipeline/index.js';
import { benchConfig } from './bench-config.js';
import { editionMessages, seed, sendComposed } from './edition-messages.js';
import { sendPipelined } from './pipelining-client.js';
import { printFigures, verdict } from './report.js';
import { startSink } from './sink.js';

const smtpCount = Number(process.env.BENCH_SMTP ?? 10_000);
const jsonCount = Number(process.env.BENCH_JSON ?? 100_000);
const day = '2026-11-26';
const work = mkdtempSync(join(tmpdir(), 'paperboy-bench-send-'));
const dist = import.meta.dirname;

const sink = await startSink();
try {
  // (a) paperboy: the real send path, in this process, like `paperboy send`.
  const dataDir = join(work, 'smtp');
  await seed(dataDir, smtpCount);
  const config = benchConfig(work, dataDir, {
    transport: sink.url,
  });
  const before = (await sink.counts()).received;
  let started = performance.now();
  const result = await deliverEdition(config, { list: 'default', date: day });
  const paperboyMs = performance.now() - started;
  if (result.kind !== 'sent' || result.summary.sent !== smtpCount) throw new Error(`paperboy sent ${JSON.stringify(result)}`);
  const paperboyRate = (smtpCount * 1000) / paperboyMs;
  if ((await sink.counts()).received - before !== smtpCount) throw new Error('the sink did not receive every message');

  // The same messages, rendered the same way, for the baselines.
  const { rows, message } = await editionMessages(config, dataDir, day);

  // (b) plain nodemailer, default pool options, composing each message itself (50 in flight).
  const plain = nodemailer.createTransport({ pool: true, host: '127.0.0.1', port: sink.port, secure: false });
  started = performance.now();
  await sendComposed(plain, rows.length, (index) => message(rows[index]!), 50);
  const plainRate = (rows.length * 1000) / (performance.now() - started);
  plain.close();

  // (c) the ceiling: pre-built raw messages through a bare pipelining client, 5 connections.
  let prebuilt = rows.map((row) => ({ from: 'digest@paperboy.localhost', to: row.email, raw: message(row).raw }));
  started = performance.now();
  const accepted = await sendPipelined(sink.port, prebuilt, 5);
  prebuilt = []; // ~400 MB of messages: gone before the next child is forked
  const ceilingRate = (accepted * 1000) / (performance.now() - started);

  // 100,000 through json: in a child process (`paperboy send --transport json:`), stdout discarded.
  const jsonDir = join(work, 'json');
  await seed(jsonDir, jsonCount);
  started = performance.now();
  // Run as a user does (`npx paperboy`: the bin's shebang and its node flags); NODE_OPTIONS adds the RSS report.
  const child = spawn(
    join(dist, '..', '..', 'bin', 'paperboy.js'),
    ['--data-dir', jsonDir, 'send', '--transport', 'json:', '--source', 'sample', '--date', day],
    {
      cwd: work,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, PAPERBOY_SECRET: 'bench-secret-bench-secret', NODE_OPTIONS: `--import=${join(dist, 'rss-on-exit.js')}` },
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`json send failed: ${stderr}`);
  const jsonMs = performance.now() - started;
  const jsonRss = JSON.parse(stderr.trim().split('\n').at(-1)!).maxRssMb as number;

  printFigures(`bench:send — ${smtpCount.toLocaleString('en-US')} subscribers to a local smtp-server sink (separate process)`, [
    { name: '(a) paperboy send (store, ledger, render, pool)', value: paperboyRate, unit: `messages/s (${(paperboyMs / 1000).toFixed(2)} s)` },
    { name: '(b) plain nodemailer, default pool', value: plainRate, unit: 'messages/s' },
    { name: '(c) raw pipelining client (ceiling)', value: ceilingRate, unit: 'messages/s' },
    { name: '(a) / (b)', value: paperboyRate / plainRate, unit: '×' },
    { name: '(a) / (c)', value: paperboyRate / ceilingRate, unit: '×' },
  ]);
  printFigures(`bench:send — ${jsonCount.toLocaleString('en-US')} subscribers through json: (child process)`, [
    { name: 'paperboy send --transport json:', value: (jsonCount * 1000) / jsonMs, unit: `messages/s (${(jsonMs / 1000).toFixed(1)} s incl. start-up)` },
    { name: 'peak RSS', value: jsonRss, unit: 'MB' },
  ]);
  verdict('SMTP rate', paperboyRate >= 1500, `${Math.round(paperboyRate)} messages/s (target ≥ 1,500)`);
  verdict('vs plain nodemailer', paperboyRate / plainRate >= 2, `${(paperboyRate / plainRate).toFixed(1)}× (target ≥ 2×)`);
  verdict('json: peak RSS', jsonRss < 300, `${jsonRss.toFixed(0)} MB for ${jsonCount.toLocaleString('en-US')} (target < 300 MB)`);
} finally {
  sink.stop();
  rmSync(work, { recursive: true, force: true });
}
