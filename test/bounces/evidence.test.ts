/**
 * Reports change a reader only on proof. Digests go out through a real SMTP server with a VERP
 * return path; then the forgeries a stranger can mail to the bounce address (issue #18, item 1)
 * come in through `bounces ingest -` (a Postfix pipe), `--dry-run` and a real Dovecot mailbox:
 * each changes nobody and waits as unverified, while the DSN a real send produces still bounces
 * its reader at once. Then the inbound breaker, delays, and the operator's apply and dismiss.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, storeId } from '../../src/stores/sqlite/index.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { type Dovecot, startDovecot, withMailbox } from '../helpers/dovecot.js';
import { prepareSend, subscriberStatus } from '../helpers/send.js';
import { type Sink, startSink } from '../helpers/smtp-sink.js';
import { arf, dsn, mail } from './mails.js';

const env = { PAPERBOY_SECRET: 'a-test-secret-of-enough-length' };
const readers = Array.from({ length: 40 }, (_, i) => `reader${i + 1}@example.org`);
const day = '2026-03-02';
let sink: Sink;

interface Sent {
  returnPath: string;
  messageId: string;
}

/** A data dir whose readers got the day's digest through the sink; what each one got. */
async function sentWorld(root: string, config: Record<string, unknown> = {}) {
  await prepareSend(root, readers, { source: 'sample', transport: sink.url, delivery: { returnPath: 'bounces+{token}@news.example.org' }, ...config });
  const before = sink.received.length;
  const result = await runCli(['send', '--date', day], { cwd: root, env });
  expect(result.code, result.stderr).toBe(0);
  const sent = new Map<string, Sent>();
  for (const received of sink.received.slice(before))
    sent.set(received.to[0]!, { returnPath: received.from, messageId: (await simpleParser(received.raw)).messageId! });
  const db = openDatabase(join(root, 'data'));
  const store = storeId(db);
  const ids = new Map((db.prepare('SELECT id, email FROM subscribers').all() as { id: number; email: string }[]).map((row) => [row.email, row.id]));
  db.close();
  return {
    data: join(root, 'data'),
    sent,
    store,
    ids,
    cli: (args: string[], input?: string) => runCli(args, { cwd: root, env, ...(input === undefined ? {} : { input }) }),
  };
}

const status = (data: string, email: string) => subscriberStatus(data, email);
const victim = 'reader2@example.org';

/** The forgeries of issue #18, item 1: what anyone who can mail the bounce address could send. */
function forgeries(world: Awaited<ReturnType<typeof sentWorld>>): Record<string, string> {
  const reader1 = world.ids.get('reader1@example.org')!;
  const reader2 = world.ids.get(victim)!;
  return {
    'a plain mail with X-Failed-Recipients': mail(
      { From: 'MAILER-DAEMON@mx.example.net', To: 'bounces@news.example.org', Subject: 'Undeliverable', 'X-Failed-Recipients': victim, 'Message-ID': '<f1@x>' },
      'gone\n',
    ),
    'a DSN to a return path with a forged token': dsn({
      headers: { To: 'bounces+1-1-0123456789abcdef0123@news.example.org', 'Message-ID': '<f2@x>' },
      deliveryStatus: `Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; ${victim}\nAction: failed\nStatus: 5.1.1`,
    }),
    'an ARF naming the reader in Original-Rcpt-To': arf(`Feedback-Type: abuse\nVersion: 1\nOriginal-Rcpt-To: ${victim}`, 'From: x@example.net\nSubject: hi', {
      'Message-ID': '<f3@x>',
    }),
    'an ARF quoting a guessed Message-ID of the old form': arf(
      'Feedback-Type: abuse\nVersion: 1',
      `From: news@example.org\nMessage-ID: <${day}.1.${reader2}.${world.store}@example.org>`,
      { 'Message-ID': '<f4@x>' },
    ),
    "a DSN naming a stranger, quoting reader 1's Message-ID of the old form": dsn({
      headers: { To: 'bounces@news.example.org', 'Message-ID': '<f5@x>' },
      deliveryStatus: 'Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; stranger@example.net\nAction: failed\nStatus: 5.1.1',
      returned: { type: 'text/rfc822-headers', content: `Message-ID: <${day}.1.${reader1}.${world.store}@example.org>\nTo: stranger@example.net` },
    }),
    'an SES notification sent as a plain mail': mail(
      { From: 'no-reply@sns.amazonaws.com', To: 'bounces@news.example.org', Subject: 'AWS Notification Message', 'Message-ID': '<f6@x>' },
      JSON.stringify({
        notificationType: 'Complaint',
        complaint: { complainedRecipients: [{ emailAddress: victim }], complaintFeedbackType: 'abuse' },
        mail: { destination: [victim] },
      }),
    ),
    'one report naming every reader': dsn({
      headers: { To: 'bounces@news.example.org', 'Message-ID': '<f7@x>' },
      deliveryStatus: `Reporting-MTA: dns; mx.example.net\n\n${readers.map((reader) => `Final-Recipient: rfc822; ${reader}\nAction: failed\nStatus: 5.1.1`).join('\n\n')}`,
    }),
  };
}

beforeAll(async () => {
  sink = await startSink();
});
afterAll(async () => {
  await sink.close();
});

describe('forged reports change nobody', () => {
  const dir = tempDir('paperboy-evidence-');
  afterAll(() => dir.remove());

  it('through the pipe and --dry-run: every forgery waits as unverified; the real DSN of a VERP send bounces at once', async () => {
    const world = await sentWorld(dir.path);
    for (const [name, forged] of Object.entries(forgeries(world))) {
      const dry = await world.cli(['bounces', 'ingest', '--dry-run', '--json', '-'], forged);
      expect(dry.code, `${name}: ${dry.stderr}`).toBe(0);
      const acted = JSON.parse(dry.stdout).actions as string[];
      expect(
        acted.filter((action) => ['bounced', 'counted', 'complained'].includes(action)),
        name,
      ).toEqual([]);
      const piped = await world.cli(['bounces', 'ingest', '-'], forged);
      expect(piped.code, `${name}: ${piped.stderr}`).toBe(0);
      for (const reader of readers) expect(status(world.data, reader), `${name}: ${reader}`).toBe('active');
    }
    const waiting = JSON.parse((await world.cli(['bounces', 'list', '--unverified', '--json', '--limit', '1000'])).stdout) as {
      email?: string;
      evidence?: string;
      action: string;
    }[];
    expect(waiting.length).toBeGreaterThanOrEqual(readers.length + 5);
    expect(new Set(waiting.map((event) => event.action))).toEqual(new Set(['unverified']));
    expect(
      waiting
        .filter((event) => event.email === victim)
        .map((event) => event.evidence)
        .sort(),
    ).toContain('forged');
    const listed = await world.cli(['bounces', 'list', '--unverified']);
    expect(listed.stdout).toMatch(/unverified\s+\[address only\]/);
    expect(listed.stdout).toContain('bounces apply ID');

    // The DSN a receiving server sends back to the message's own return path: proof, acted on at once.
    const real = world.sent.get('reader7@example.org')!;
    const genuine = dsn({
      headers: { To: real.returnPath, 'Message-ID': '<genuine@mx.example.net>' },
      deliveryStatus:
        'Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; reader7@example.org\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 user unknown',
    });
    const piped = await world.cli(['bounces', 'ingest', '-'], genuine);
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stderr).toBe('');
    expect(status(world.data, 'reader7@example.org')).toBe('bounced');
    // As does an ARF quoting the Message-ID the reader really got (with its MAC).
    const complaint = arf('Feedback-Type: abuse\nVersion: 1', `Message-ID: ${world.sent.get('reader8@example.org')!.messageId}`, {
      'Message-ID': '<genuine-arf@fbl>',
    });
    expect((await world.cli(['bounces', 'ingest', '-'], complaint)).code).toBe(0);
    expect(status(world.data, 'reader8@example.org')).toBe('complained');
    // A feedback loop that mails its reports to one fixed address: the VERP return path in Original-Mail-From is the proof.
    const fixedAddress = arf(
      `Feedback-Type: abuse\nVersion: 1\nOriginal-Mail-From: <${world.sent.get('reader9@example.org')!.returnPath}>`,
      'Subject: Daily Papers',
      {
        To: 'fbl@news.example.org',
        'Message-ID': '<fixed-fbl@fbl>',
      },
    );
    expect((await world.cli(['bounces', 'ingest', '-'], fixedAddress)).code).toBe(0);
    expect(status(world.data, 'reader9@example.org')).toBe('complained');
  });

  it('through a real IMAP mailbox alike', async () => {
    const root = join(dir.path, 'imap');
    mkdirSync(root);
    let dovecot: Dovecot | undefined;
    try {
      dovecot = await startDovecot();
      const imap = { url: `imap://${dovecot.user}@127.0.0.1:${dovecot.port}`, processedMailbox: 'Done', tlsRejectUnauthorized: false };
      const world = await sentWorld(root, { bounces: { imap } });
      await withMailbox(dovecot, async (client) => {
        for (const forged of Object.values(forgeries(world))) await client.append('INBOX', forged);
      });
      const result = await runCli(['bounces', 'watch', '--once'], { cwd: root, env: { ...env, PAPERBOY_IMAP_PASS: dovecot.password } });
      expect(result.code, result.stderr).toBe(0);
      for (const reader of readers) expect(status(world.data, reader)).toBe('active');
      const waiting = JSON.parse((await world.cli(['bounces', 'list', '--unverified', '--json', '--limit', '1000'])).stdout) as unknown[];
      expect(waiting.length).toBeGreaterThanOrEqual(readers.length + 5);
    } finally {
      await dovecot?.stop();
    }
  });
});

describe('the inbound breaker, delays and review', () => {
  const dir = tempDir('paperboy-evidence-breaker-');
  afterAll(() => dir.remove());

  const bounceFor = (sent: Sent, reader: string, n: number, status = '5.1.1', action = 'failed') =>
    dsn({
      headers: { To: sent.returnPath, 'Message-ID': `<b${n}.${reader}@mx.example.net>` },
      deliveryStatus: `Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; ${reader}\nAction: ${action}\nStatus: ${status}\nDiagnostic-Code: smtp; ${status.startsWith('5') ? '550' : '452'} ${status} mailbox`,
    });

  it('holds proven bounces past a share of the edition, tells the operator, and applies them on request', async () => {
    const root = join(dir.path, 'breaker');
    mkdirSync(root);
    // 40 readers, 5% of them is 2; the floor of 3 decides: the 4th bounce is held.
    const world = await sentWorld(root, { bounces: { breaker: { editionShare: 0.05, editionFloor: 3 } } });
    const victims = readers.slice(0, 6);
    let output = '';
    for (const [n, reader] of victims.entries()) {
      const result = await world.cli(['bounces', 'ingest', '-'], bounceFor(world.sent.get(reader)!, reader, n));
      expect(result.code, result.stderr).toBe(0);
      output += result.stderr;
    }
    expect(victims.map((reader) => status(world.data, reader))).toEqual(['bounced', 'bounced', 'bounced', 'active', 'active', 'active']);
    expect(output).toMatch(/The inbound breaker held 1 report/);
    const held = JSON.parse((await world.cli(['bounces', 'list', '--held', '--json'])).stdout) as { id: number; email: string }[];
    expect(held.map((event) => event.email).sort()).toEqual(victims.slice(3).sort());
    const dismissed = await world.cli(['bounces', 'dismiss', String(held.find((event) => event.email === victims[3])!.id)]);
    expect(dismissed.stdout).toMatch(/1 event dismissed/);
    const applied = await world.cli(['bounces', 'apply', '--held']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/2 events applied/);
    expect(victims.map((reader) => status(world.data, reader))).toEqual(['bounced', 'bounced', 'bounced', 'active', 'bounced', 'bounced']);
    // Applying again changes nothing and says so.
    expect((await world.cli(['bounces', 'apply', String(held[0]!.id)])).stdout).toMatch(/0 events applied; 1 not waiting/);
    // Reports that are not ids are a usage error, in one line.
    const wrong = await world.cli(['bounces', 'apply', 'twelve']);
    expect([wrong.code, wrong.stderr.trim().split('\n').length]).toEqual([2, 1]);
  });

  it('takes a delay warning for nothing, counts a message once, and bounces the reader at the third message', async () => {
    const root = join(dir.path, 'soft');
    mkdirSync(root);
    const world = await sentWorld(root);
    const reader = 'reader9@example.org';
    const ingest = async (message: string) => {
      const result = await world.cli(['bounces', 'ingest', '--json', '-'], message);
      expect(result.code, result.stderr).toBe(0);
      return JSON.parse(result.stdout).actions as string[];
    };
    const first = world.sent.get(reader)!;
    expect(await ingest(bounceFor(first, reader, 1, '4.4.7', 'delayed'))).toEqual(['delayed']);
    expect(await ingest(bounceFor(first, reader, 2, '4.4.7', 'failed'))).toEqual(['counted']);
    expect(await ingest(bounceFor(first, reader, 3, '4.2.2', 'failed'))).toEqual(['counted']); // the same message again
    expect(status(world.data, reader)).toBe('active');
    // Two more messages soft-bounce: the third message makes the reader bounced.
    for (const [n, next] of [
      ['2026-03-12', 4],
      ['2026-03-22', 5],
    ] as const) {
      const sent = await world.cli(['send', '--date', n]);
      expect(sent.code, sent.stderr).toBe(0);
      const received = sink.received.filter((message) => message.to[0] === reader).at(-1)!;
      const action = await ingest(bounceFor({ returnPath: received.from, messageId: '' }, reader, next, '4.2.2'));
      expect(action).toEqual([next === 5 ? 'bounced' : 'counted']);
    }
    expect(status(world.data, reader)).toBe('bounced');
  });
});
