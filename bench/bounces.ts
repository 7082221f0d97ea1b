/**
 * npm run bench:bounces — 10,000 generated DSNs in one mbox file, read by streaming it through
 * the mbox splitter, then (a) parseBounce on each (paperboy's path) next to (b) mailparser's
 * simpleParser alone on each (the MIME parsing every reader of these mails pays). Issue #13's
 * target is ingesting 10,000 DSNs from one mbox in under 10 s, database work included.
 */
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
  if (ours.messages !== count || bounces !== count || recipients !== expectedRecipients || matched !== count) {
    throw new Error(`read ${ours.messages} messages, ${bounces} bounces, ${recipients}/${expectedRecipients} recipients, ${matched} with Message-ID and return path`);
  }
  verdict('all read', true, `${bounces.toLocaleString('en-US')} bounces, ${recipients.toLocaleString('en-US')} recipients, each with its original Message-ID and return path`);
  verdict('parse time', ours.seconds < 5, `${ours.seconds.toFixed(2)} s for ${count.toLocaleString('en-US')} (target < 5 s: half the 10 s ingest budget, the rest for the database)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
