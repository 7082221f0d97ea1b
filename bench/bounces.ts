/**
 * npm run bench:bounces — 10,000 generated DSNs in one mbox file, read by streaming it through
 * the mbox splitter, then (a) parseBounce on each (paperboy's path) next to (b) mailparser's
 * simpleParser alone on each (the MIME parsing every reader of these mails pays), then (c) the
 * whole `paperboy bounces ingest bounces.mbox` command on a store holding every recipient as a
 * reader: start-up, parsing, finding each reader, storing each event and bouncing the hard ones.
 * Issue #13's target is that last figure under 10 s.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { mboxEntry, parseBounce, readMbox } from '../src/bounces/index.js';
import { generateDsn } from './dsn-mails.js';
import { mb, printFigures, verdict } from './report.js';

const count = Number(process.env.BENCH_DSNS ?? 10_000);
const work = mkdtempSync(join(tmpdir(), 'paperboy-bench-bounces-'));
const mbox = join(work, 'bounces.mbox');

let expectedRecipients = 0;
const entries: string[] = [];
const plain: boolean[] = [];
for (let i = 0; i < count; i++) {
  const dsn = generateDsn(i);
  expectedRecipients += dsn.recipients.length;
  plain.push(dsn.plain);
  entries.push(mboxEntry(dsn.raw, 'MAILER-DAEMON', new Date(Date.UTC(2026, 10, 26, 6))));
}
writeFileSync(mbox, entries.join(''));
const bytes = entries.reduce((sum, entry) => sum + Buffer.byteLength(entry), 0);

/** Streams the mbox and hands each message to `each`; returns seconds and messages seen. */
async function timed(each: (raw: Buffer, index: number) => Promise<unknown>): Promise<{ seconds: number; messages: number }> {
  const started = performance.now();
  let messages = 0;
  for await (const message of readMbox(createReadStream(mbox))) await each(message.raw, messages++);
  return { seconds: (performance.now() - started) / 1000, messages };
}

/** Runs the real command twice on a store with every recipient as a reader; seconds for each, readers bounced. */
function ingestWithTheCommand() {
  const readers = new Set<string>();
  for (let i = 0; i < count; i++) for (const email of generateDsn(i).recipients) readers.add(email);
  writeFileSync(join(work, 'readers.csv'), ['email', ...readers].join('\n'));
  const bin = join(import.meta.dirname, '..', '..', 'bin', 'paperboy.js');
  const run = (...args: string[]) => execFileSync(process.execPath, [bin, '--data-dir', join(work, 'data'), ...args], { cwd: work, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { PATH: process.env.PATH, HOME: process.env.HOME } });
  run('subscribers', 'import', 'readers.csv');
  const seconds = (work: () => string) => {
    const started = performance.now();
    const output = work();
    return { output, seconds: (performance.now() - started) / 1000 };
  };
  const first = seconds(() => run('bounces', 'ingest', mbox));
  const again = seconds(() => run('bounces', 'ingest', mbox));
  const bounced = (JSON.parse(run('subscribers', 'list', '--status', 'bounced', '--json')) as unknown[]).length;
  return { first: first.seconds, again: again.seconds, output: first.output, bounced };
}

try {
  // Warm up both paths (JIT, lazy requires) on a few messages first.
  for (let i = 0; i < 200; i++) {
    await parseBounce(generateDsn(i).raw);
    await simpleParser(generateDsn(i).raw);
  }
  const split = await timed(async () => undefined);
  let recipients = 0;
  let bounces = 0;
  let matched = 0;
  const spent = { plain: 0, plainCount: 0, encoded: 0, encodedCount: 0 };
  const ours = await timed(async (raw, index) => {
    const started = performance.now();
    const verdict = await parseBounce(raw);
    const ms = performance.now() - started;
    if (plain[index]) (spent.plain += ms), spent.plainCount++;
    else (spent.encoded += ms), spent.encodedCount++;
    if (verdict.kind === 'bounce') bounces++;
    recipients += verdict.recipients.length;
    if (verdict.originalMessageId && verdict.returnPath) matched++;
  });
  const baseline = await timed((raw) => simpleParser(raw));

  printFigures(`bench:bounces — ${count.toLocaleString('en-US')} DSNs in one mbox (${mb(bytes).toFixed(1)} MB)`, [
    { name: 'mbox split only, messages/s', value: split.messages / split.seconds, unit: `(${split.seconds.toFixed(2)} s)` },
    { name: 'parseBounce, messages/s', value: ours.messages / ours.seconds, unit: `(${ours.seconds.toFixed(2)} s)` },
    { name: '  plain DSN (fast path), µs each', value: (1000 * spent.plain) / spent.plainCount, unit: `(${spent.plainCount.toLocaleString('en-US')} messages)` },
    { name: '  encoded DSN (mailparser), µs each', value: (1000 * spent.encoded) / spent.encodedCount, unit: `(${spent.encodedCount.toLocaleString('en-US')} messages)` },
    { name: 'simpleParser alone, messages/s', value: baseline.messages / baseline.seconds, unit: `(${baseline.seconds.toFixed(2)} s)` },
    { name: 'parseBounce time / simpleParser time', value: ours.seconds / baseline.seconds, unit: '×' },
  ]);
  const ingest = ingestWithTheCommand();
  printFigures('  the whole command, paperboy bounces ingest bounces.mbox (SQLite store, every recipient a reader)', [
    { name: 'bounces ingest, messages/s', value: count / ingest.first, unit: `(${ingest.first.toFixed(2)} s)` },
    { name: '  the same mbox again (all already ingested)', value: count / ingest.again, unit: `messages/s (${ingest.again.toFixed(2)} s)` },
    { name: 'bounces ingest time / simpleParser time', value: ingest.first / baseline.seconds, unit: '×' },
  ]);
  if (ours.messages !== count || bounces !== count || recipients !== expectedRecipients || matched !== count) {
    throw new Error(`read ${ours.messages} messages, ${bounces} bounces, ${recipients}/${expectedRecipients} recipients, ${matched} with Message-ID and return path`);
  }
  verdict('all read', true, `${bounces.toLocaleString('en-US')} bounces, ${recipients.toLocaleString('en-US')} recipients, each with its original Message-ID and return path`);
  verdict('ingest', ingest.bounced > 0 && ingest.output.includes(`${count} messages read: ${count} bounce`), `${ingest.bounced.toLocaleString('en-US')} readers bounced (hard), the soft ones counted`);
  verdict('ingest time', ingest.first < 10, `${ingest.first.toFixed(2)} s for ${count.toLocaleString('en-US')} DSNs through the command (target < 10 s)`);
  verdict('parse time', ours.seconds < 5, `${ours.seconds.toFixed(2)} s for ${count.toLocaleString('en-US')} (target < 5 s: half the 10 s ingest budget, the rest for the database)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
