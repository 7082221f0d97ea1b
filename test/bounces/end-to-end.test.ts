/**
 * Bounces that come back after the send, end to end with the real command: digests sent through a
 * real SMTP server with a VERP return path, then DSNs and an ARF report piped into
 * `paperboy bounces ingest -` as Postfix would, and what the readers and `editions show` say after.
 */
import { simpleParser } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/stores/sqlite/index.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { prepareSend, subscriberStatus } from '../helpers/send.js';
import { type ReceivedMail, type Sink, startSink } from '../helpers/smtp-sink.js';
import { arf, dsn } from './mails.js';

const env = { PAPERBOY_SECRET: 'a-test-secret-of-enough-length' };
const readers = ['ada', 'bob', 'cy', 'dee', 'eve'].map((name) => `${name}@example.org`);
const [ada, bob, cy, dee] = readers as [string, string, string, string];
// The sample feed repeats its papers: sends ten days apart each get a full edition.
const days = ['2026-03-02', '2026-03-12', '2026-03-22', '2026-04-01'];
let sink: Sink;
const dirs: { remove(): void }[] = [];

/** One test's own newsletter: a folder with its config and data, and the mail it sent. */
interface Newsletter {
  dir: string;
  data: string;
  /** What each day's send delivered, per reader: the envelope sender (the VERP return path) and the Message-ID. */
  sent: Map<string, Map<string, { returnPath: string; messageId: string }>>;
}

/** The five readers, imported into a folder of their own, and the first day sent to them. */
async function newsletter(): Promise<Newsletter> {
  const dir = tempDir('paperboy-bounces-e2e-');
  dirs.push(dir);
  await prepareSend(dir.path, readers, { source: 'sample', transport: sink.url, delivery: { returnPath: 'bounces+{token}@news.example.org' } });
  const news: Newsletter = { dir: dir.path, data: `${dir.path}/data`, sent: new Map() };
  await send(news, days[0]!);
  return news;
}

const cli = (news: Newsletter, args: string[], input?: string) => runCli(args, { cwd: news.dir, env, ...(input === undefined ? {} : { input }) });

async function send(news: Newsletter, day: string): Promise<void> {
  const before = sink.received.length;
  const result = await cli(news, ['send', '--date', day]);
  expect(result.code, result.stderr).toBe(0);
  const mails: ReceivedMail[] = sink.received.slice(before);
  const byReader = new Map<string, { returnPath: string; messageId: string }>();
  for (const mail of mails) byReader.set(mail.to[0]!, { returnPath: mail.from, messageId: (await simpleParser(mail.raw)).messageId! });
  news.sent.set(day, byReader);
}

let dsnCount = 0;
/** The DSN a receiving server sends back to a message's return path; it quotes nothing of the message. */
function dsnFor(news: Newsletter, day: string, reader: string, status: string, diagnostic: string): string {
  return dsn({
    headers: { To: news.sent.get(day)!.get(reader)!.returnPath, 'Message-ID': `<dsn.${++dsnCount}@mx.example.net>` },
    deliveryStatus: `Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; ${reader}\nAction: failed\nStatus: ${status}\nDiagnostic-Code: smtp; ${diagnostic}`,
  });
}
const hardFor = (news: Newsletter, day: string, reader: string) =>
  dsnFor(news, day, reader, '5.1.1', `550 5.1.1 <${reader}>: Recipient address rejected: User unknown`);
const softFor = (news: Newsletter, day: string, reader: string) => dsnFor(news, day, reader, '4.2.2', '452 4.2.2 Mailbox full');

/** The ARF report a mailbox provider sends when a reader marks a day's digest as spam: it quotes our Message-ID. */
function complaintFor(news: Newsletter, day: string, reader: string): string {
  const returned = `From: Paperboy <news@example.org>\nTo: ${reader}\nSubject: Daily Papers\nMessage-ID: ${news.sent.get(day)!.get(reader)!.messageId}`;
  return arf('Feedback-Type: abuse\nUser-Agent: SomeFBL/1.0\nVersion: 1', returned, { 'Message-ID': '<fbl.1@fbl.example.net>' });
}

async function ingest(news: Newsletter, message: string): Promise<string> {
  const result = await cli(news, ['bounces', 'ingest', '-'], message);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

function listsOf(news: Newsletter, email: string): string[] {
  const db = openDatabase(news.data);
  try {
    return (
      db
        .prepare(`SELECT l.name FROM list_members m JOIN lists l ON l.id = m.list_id JOIN subscribers s ON s.id = m.subscriber_id
      WHERE s.email = ? AND m.status = 'active'`)
        .all(email) as { name: string }[]
    ).map((row) => row.name);
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  sink = await startSink();
});
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});
afterAll(async () => {
  await sink.close();
});

describe('bounces and complaints after the send', () => {
  it('sends each message from its own signed return path', async () => {
    const news = await newsletter();
    const first = news.sent.get(days[0]!)!;
    expect([...first.keys()].sort()).toEqual([...readers].sort());
    const paths = [...first.values()].map((entry) => entry.returnPath);
    for (const path of paths) expect(path).toMatch(/^bounces\+[0-9a-z]+-[0-9a-z]+-[0-9a-f]{20}@news\.example\.org$/);
    expect(new Set(paths).size).toBe(readers.length);
  });

  it('a DSN that quotes nothing finds its reader by the return path: bounced, counted once when it comes twice, and shown per edition', async () => {
    const news = await newsletter();
    const report = hardFor(news, days[0]!, ada);
    expect(await ingest(news, report)).toMatch(/1 message read: 1 bounce/);
    expect(subscriberStatus(news.data, ada)).toBe('bounced');
    expect(await ingest(news, report)).toMatch(/1 already ingested/);

    const events = JSON.parse((await cli(news, ['bounces', 'list', '--json'])).stdout) as {
      email: string;
      kind: string;
      hard: boolean;
      action: string;
      editionId: number;
    }[];
    expect(events.filter((event) => event.email === ada)).toEqual([expect.objectContaining({ kind: 'bounce', hard: true, action: 'bounced' })]);

    const shown = JSON.parse((await cli(news, ['editions', 'show', days[0]!, '--json'])).stdout);
    expect(shown.feedback).toMatchObject({ sent: 5, bounces: 1, hardBounces: 1, complaints: 0, bounceRate: 0.2 });
    expect((await cli(news, ['editions', 'show', days[0]!])).stdout).toContain('Came back: 1 bounce (20%, 1 hard), 0 complaints (0%)');
  });

  it('an ARF report finds its reader by our Message-ID: complained, off every list, and the complaint rate flagged', async () => {
    const news = await newsletter();
    expect(await ingest(news, complaintFor(news, days[0]!, bob))).toMatch(/1 complaint/);
    expect(subscriberStatus(news.data, bob)).toBe('complained');
    expect(listsOf(news, bob)).toEqual([]);
    const shown = await cli(news, ['editions', 'show', days[0]!]);
    expect(shown.stdout).toContain('1 complaint (20%)');
    expect(shown.stdout).toMatch(/reaches Gmail's and Yahoo's 0\.3% limit/);
    expect(JSON.parse((await cli(news, ['editions', 'show', days[0]!, '--json'])).stdout).feedback).toMatchObject({ complaints: 1, complaintFlag: 'limit' });
  });

  it('three soft bounces in a row make a reader bounced; soft, soft, a delivery that got through, soft leaves them active', async () => {
    const news = await newsletter();
    await ingest(news, hardFor(news, days[0]!, ada));
    await ingest(news, complaintFor(news, days[0]!, bob));
    await ingest(news, softFor(news, days[0]!, cy));
    await ingest(news, softFor(news, days[0]!, dee));
    await send(news, days[1]!);
    expect([...news.sent.get(days[1]!)!.keys()].sort()).toEqual([cy, dee, 'eve@example.org']); // not the bounced, not the complainer
    await ingest(news, softFor(news, days[1]!, cy));
    await ingest(news, softFor(news, days[1]!, dee));
    expect(subscriberStatus(news.data, cy)).toBe('active');
    await send(news, days[2]!);
    await ingest(news, softFor(news, days[2]!, cy)); // dee's third edition got through
    expect(subscriberStatus(news.data, cy)).toBe('bounced');
    await send(news, days[3]!);
    expect(news.sent.get(days[3]!)!.has(cy)).toBe(false);
    await ingest(news, softFor(news, days[3]!, dee));
    expect(subscriberStatus(news.data, dee)).toBe('active');
    const dees = (JSON.parse((await cli(news, ['bounces', 'list', '--kind', 'bounce', '--json'])).stdout) as { email: string; action: string }[])
      .filter((event) => event.email === dee)
      .map((event) => event.action);
    expect(dees).toEqual(['counted', 'counted', 'counted']);
  });
});
