/**
 * npm run bench:bounces — 10,000 generated DSNs in one mbox file, read by streaming it through
 * the mbox splitter, then (a) parseBounce on each (paperboy's path) next to (b) mailparser's
 * simpleParser alone on each (a full MIME parse, the baseline), then (c) the whole
 * `paperboy bounces ingest` command on 10,000 DSNs of an edition really sent (json:) to 10,000
 * readers: start-up, parsing, proving each reader, storing each event and bouncing the hard
 * ones. Issue #13's target is that last figure under 10 s.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { mboxEntry, parseBounce, readMbox } from '../src/bounces/index.js';
import { generateDsn, sentReader } from './dsn-mails.js';
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

/**
 * The real command on a store whose readers really got an edition (json:, with a VERP return
 * path): each reader's DSN comes back to the return path their message went out with and quotes
 * its Message-ID, so every report proves whom it concerns. Half the list bounces here, far past
 * the inbound breaker's 5%: the bench turns the breaker off (it has tests of its own) to measure
 * reading, matching, storing and acting on every report. Seconds for each run, readers bounced.
 */
function ingestWithTheCommand() {
  const data = join(work, 'data');
  writeFileSync(join(work, 'readers.csv'), ['email', ...Array.from({ length: count }, (_, i) => sentReader(i))].join('\n'));
  writeFileSync(
    join(work, 'paperboy.config.json'),
    JSON.stringify({
      dataDir: data,
      source: 'sample',
      transport: 'json:',
      newsletter: { from: 'Paperboy <digest@news.example.org>', baseUrl: 'https://news.example.org' },
      delivery: { returnPath: 'bounces+{token}@news.example.org' },
      bounces: { breaker: { editionShare: 1 } },
    }),
  );
  const bin = join(import.meta.dirname, '..', '..', 'bin', 'paperboy.js');
  const run = (...args: string[]) =>
    execFileSync(process.execPath, [bin, '--config', join(work, 'paperboy.config.json'), ...args], {
      cwd: work,
      encoding: 'utf8',
      maxBuffer: 1024 * 1024 * 1024,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PAPERBOY_SECRET: 'bench-secret-of-enough-length-0123' },
    });
  run('subscribers', 'import', 'readers.csv');
  const sent = new Map<string, { returnPath: string; messageId: string }>();
  for (const line of run('send', '--date', '2026-03-02').split('\n')) {
    if (!line.startsWith('{')) continue;
    const message = JSON.parse(line) as { to: string; messageId: string; envelope: { from: string } };
    sent.set(message.to.replace(/^.*<|>$/g, ''), { returnPath: message.envelope.from, messageId: message.messageId });
  }
  const proven = join(work, 'as-sent.mbox');
  writeFileSync(
    proven,
    Array.from({ length: count }, (_, i) => mboxEntry(generateDsn(i, sent.get(sentReader(i))).raw, 'MAILER-DAEMON', new Date(Date.UTC(2026, 10, 26, 6)))).join(
      '',
    ),
  );
  const seconds = (work: () => string) => {
    const started = performance.now();
    const output = work();
    return { output, seconds: (performance.now() - started) / 1000 };
  };
  const first = seconds(() => run('bounces', 'ingest', proven));
  const again = seconds(() => run('bounces', 'ingest', proven));
  const bounced = (JSON.parse(run('subscribers', 'list', '--status', 'bounced', '--json')) as unknown[]).length;
  return { first: first.seconds, again: again.seconds, output: first.output, bounced, sent: sent.size };
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
    if (plain[index]) {
      spent.plain += ms;
      spent.plainCount++;
    } else {
      spent.encoded += ms;
      spent.encodedCount++;
    }
    if (verdict.kind === 'bounce') bounces++;
    recipients += verdict.recipients.length;
    if (verdict.originalMessageId && verdict.returnPath) matched++;
  });
  const baseline = await timed((raw) => simpleParser(raw));

  printFigures(`bench:bounces — ${count.toLocaleString('en-US')} DSNs in one mbox (${mb(bytes).toFixed(1)} MB)`, [
    { name: 'mbox split only, messages/s', value: split.messages / split.seconds, unit: `(${split.seconds.toFixed(2)} s)` },
    { name: 'parseBounce, messages/s', value: ours.messages / ours.seconds, unit: `(${ours.seconds.toFixed(2)} s)` },
    {
      name: '  plain DSN (fast path), µs each',
      value: (1000 * spent.plain) / spent.plainCount,
      unit: `(${spent.plainCount.toLocaleString('en-US')} messages)`,
    },
    {
      name: '  encoded DSN (postal-mime), µs each',
      value: (1000 * spent.encoded) / spent.encodedCount,
      unit: `(${spent.encodedCount.toLocaleString('en-US')} messages)`,
    },
    { name: 'simpleParser alone, messages/s', value: baseline.messages / baseline.seconds, unit: `(${baseline.seconds.toFixed(2)} s)` },
    { name: 'parseBounce time / simpleParser time', value: ours.seconds / baseline.seconds, unit: '×' },
  ]);
  const ingest = ingestWithTheCommand();
  printFigures(
    `  the whole command, paperboy bounces ingest (SQLite store; ${ingest.sent.toLocaleString('en-US')} readers got an edition, each DSN comes back to its VERP return path)`,
    [
      { name: 'bounces ingest, messages/s', value: count / ingest.first, unit: `(${ingest.first.toFixed(2)} s)` },
      { name: '  the same mbox again (all already ingested)', value: count / ingest.again, unit: `messages/s (${ingest.again.toFixed(2)} s)` },
      { name: 'bounces ingest time / simpleParser time', value: ingest.first / baseline.seconds, unit: '×' },
    ],
  );
  if (ours.messages !== count || bounces !== count || recipients !== expectedRecipients || matched !== count) {
    throw new Error(
      `read ${ours.messages} messages, ${bounces} bounces, ${recipients}/${expectedRecipients} recipients, ${matched} with Message-ID and return path`,
    );
  }
  verdict(
    'all read',
    true,
    `${bounces.toLocaleString('en-US')} bounces, ${recipients.toLocaleString('en-US')} recipients, each with its original Message-ID and return path`,
  );
  verdict(
    'ingest',
    ingest.bounced > 0 && ingest.output.includes(`${count} messages read: ${count} bounce`),
    `${ingest.bounced.toLocaleString('en-US')} readers bounced (hard), the soft ones counted`,
  );
  verdict('ingest time', ingest.first < 10, `${ingest.first.toFixed(2)} s for ${count.toLocaleString('en-US')} DSNs through the command (target < 10 s)`);
  verdict(
    'parse time',
    ours.seconds < 5,
    `${ours.seconds.toFixed(2)} s for ${count.toLocaleString('en-US')} (target < 5 s: half the 10 s ingest budget, the rest for the database)`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
