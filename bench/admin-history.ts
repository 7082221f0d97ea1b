/**
 * A newsletter with a few months behind it, for the docs' pictures of the admin dashboard: each
 * past day, one `paperboy subscribers import` brings that day's sign-ups (pending), confirmations,
 * and readers leaving, unsubscribed, bounced or complained; the last three mornings an edition
 * goes out through an SMTP server that refuses a few recipients, and reports come back (a proven
 * bounce and complaint each, and one complaint that names its reader by address alone). Every
 * command runs with its clock set to that day (bench/past-clock.ts), so the history is what the
 * store itself records.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { arf, dsn } from '../test/bounces/mails.js';
import { adminPasswordHash, adminWorldEnv } from '../test/helpers/admin-world.js';
import { fixturesDir, runCli } from '../test/helpers/cli.js';
import { type Refusal, type Sink, startSink } from '../test/helpers/smtp-sink.js';

const historyDays = 88;
const feedDays = ['2026-08-19', '2026-08-20', '2026-08-21'];
const domains = ['example.org', 'example.net', 'mail.example.com', 'example.edu'];
const dayMs = 86_400_000;

/** A small seeded generator: the same history, and the same pictures, every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

interface Reader {
  email: string;
  status: 'pending' | 'active' | 'unsubscribed' | 'bounced' | 'complained';
  /** Clicks the confirmation link the next day (most do); the others stay pending. */
  confirms: boolean;
}

/** Runs a paperboy command in `root` as if at `at`; throws with its stderr when it fails. */
async function at(root: string, when: Date, args: string[], input?: string): Promise<string> {
  const clock = pathToFileURL(join(import.meta.dirname, 'past-clock.js')).href;
  const env = { ...adminWorldEnv, NODE_OPTIONS: `--import=${clock}`, DOCS_PAST_CLOCK: when.toISOString() };
  const result = await runCli(args, { cwd: root, env, ...(input === undefined ? {} : { input }) });
  if (result.code !== 0) throw new Error(`paperboy ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** One day's changes as an import file: new readers pending, yesterday's sign-ups confirming, some leaving. */
function dayRows(readers: Reader[], day: number, next: () => number): string[] {
  const rows: string[] = [];
  for (const reader of readers.filter((each) => each.status === 'pending' && each.confirms)) {
    reader.status = 'active';
    rows.push(`${reader.email},active`);
  }
  const active = readers.filter((each) => each.status === 'active');
  const leaving = Math.floor(next() * (2 + active.length / 120));
  for (let n = 0; n < leaving && active.length > 0; n++) {
    const reader = active.splice(Math.floor(next() * active.length), 1)[0]!;
    const roll = next();
    reader.status = roll < 0.75 ? 'unsubscribed' : roll < 0.95 ? 'bounced' : 'complained';
    rows.push(`${reader.email},${reader.status}`);
  }
  const joining = 6 + Math.round(5 * Math.sin(day / 6) + day * 0.25 + next() * 5);
  for (let n = 0; n < joining; n++) {
    const reader: Reader = { email: `reader${readers.length + 1}@${domains[readers.length % domains.length]}`, status: 'pending', confirms: next() < 0.85 };
    readers.push(reader);
    rows.push(`${reader.email},pending`);
  }
  return rows;
}

/** How the receiving servers answer: a few mailboxes are gone or full, a few domains refuse. */
function refusal(address: string): Refusal | undefined {
  const n = Number(/^reader(\d+)@/.exec(address)?.[1] ?? 0);
  if (n % 89 === 7) return { code: 550, text: '5.1.1 No such user' };
  if (n % 131 === 11) return { code: 552, text: '5.2.2 Mailbox full' };
  if (n % 173 === 5) return { code: 554, text: '5.7.1 Rejected by policy' };
  return undefined;
}

/** The Message-ID of the message the server took for `email`. */
function sentMessageId(sink: Sink, email: string): string {
  const mail = sink.received.findLast((received) => received.to.includes(email));
  if (!mail) throw new Error(`no message to ${email}`);
  return /^Message-ID: *(<[^>]+>)/im.exec(mail.raw.toString())![1]!;
}

/** Builds the store in `root` (a config file and data/ there), its history ending yesterday. */
export async function buildAdminHistory(root: string): Promise<void> {
  const sink = await startSink({ rcpt: refusal });
  try {
    await buildDays(root, sink);
  } finally {
    await sink.close();
  }
}

async function buildDays(root: string, sink: Sink): Promise<void> {
  const config = { dataDir: 'data', newsletter: { baseUrl: 'https://news.example.org', from: 'Paperboy <news@example.org>' }, source: `file:${fixturesDir}` };
  writeFileSync(join(root, 'paperboy.config.json'), JSON.stringify({ ...config, admin: { passwordHash: await adminPasswordHash() } }));
  const today = Math.floor(Date.now() / dayMs) * dayMs;
  const next = random(24);
  const readers: Reader[] = [];
  for (let day = 0; day < historyDays; day++) {
    const date = new Date(today - (historyDays - day) * dayMs);
    writeFileSync(join(root, 'day.csv'), ['email,status', ...dayRows(readers, day, next)].join('\n'));
    await at(root, new Date(date.getTime() + 9 * 3_600_000), ['subscribers', 'import', 'day.csv']);
    const edition = feedDays.length - (historyDays - day);
    if (edition >= 0) await sendAndHear(root, sink, date, feedDays[edition]!, readers, next);
  }
}

/** The edition of `feedDay` at 06:00 of `date`, then at noon a proven bounce and a proven complaint about it, and on the last day a complaint by address alone. */
async function sendAndHear(root: string, sink: Sink, date: Date, feedDay: string, readers: Reader[], next: () => number): Promise<void> {
  await at(root, new Date(date.getTime() + 6 * 3_600_000), ['send', '--date', feedDay, '--transport', sink.url]);
  for (const reader of readers) if (reader.status === 'active' && refusal(reader.email)) reader.status = 'bounced';
  const noon = new Date(date.getTime() + 12 * 3_600_000);
  const active = readers.filter((reader) => reader.status === 'active');
  const [bounced, complained, unproven] = [0, 1, 2].map(() => active.splice(Math.floor(next() * active.length), 1)[0]!);
  const bounce = dsn({
    headers: { 'Message-ID': `<dsn.${feedDay}@mx.example.net>` },
    deliveryStatus: `Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; ${bounced!.email}\nAction: failed\nStatus: 5.1.1`,
    returned: { type: 'text/rfc822-headers', content: `Message-ID: ${sentMessageId(sink, bounced!.email)}\nTo: ${bounced!.email}` },
  });
  const complaint = arf('Feedback-Type: abuse\nVersion: 1', `Message-ID: ${sentMessageId(sink, complained!.email)}\nTo: ${complained!.email}`, {
    'Message-ID': `<arf.${feedDay}@fbl.example.net>`,
  });
  for (const report of [bounce, complaint]) await at(root, noon, ['bounces', 'ingest', '-'], report);
  bounced!.status = 'bounced';
  complained!.status = 'complained';
  if (feedDay !== feedDays.at(-1)) return;
  const byAddress = arf(`Feedback-Type: abuse\nVersion: 1\nOriginal-Rcpt-To: ${unproven!.email}`, 'From: x@example.net\nSubject: hi', {
    'Message-ID': '<arf.unproven@fbl.example.net>',
  });
  await runCli(['bounces', 'ingest', '-'], { cwd: root, env: adminWorldEnv, input: byAddress }); // exits 0, warning that it changed nobody
}
