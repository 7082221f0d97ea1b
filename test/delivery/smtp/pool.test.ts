import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyFailure } from '../../../src/delivery/index.js';
import { openSmtpPool } from '../../../src/delivery/transports/smtp/open.js';
import { SmtpPool } from '../../../src/delivery/transports/smtp/pool.js';
import { tempDir } from '../../helpers/files.js';
import { type Event, startScriptedServer } from './scripted-server.js';

const message = (n: number, body = `Hello ${n}`) => Buffer.from(`From: news@example.org\r\nTo: r${n}@example.com\r\nSubject: n${n}\r\n\r\n${body}\r\n`);

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

function poolTo(port: number, options: { maxConnections?: number; secure?: boolean; user?: string; pass?: string } = {}) {
  const pool = new SmtpPool({
    host: '127.0.0.1',
    port,
    secure: options.secure ?? false,
    ...(options.user ? { user: options.user, pass: options.pass ?? '' } : {}),
    tlsRejectUnauthorized: false,
    connectTimeoutMs: 10_000,
    replyTimeoutMs: 10_000,
    maxConnections: options.maxConnections ?? 1,
    rateLimit: 0,
  });
  stops.push(() => pool.close());
  return pool;
}

const sendAll = (pool: SmtpPool, count: number) =>
  Promise.all(Array.from({ length: count }, (_, n) => pool.send('news@example.org', `r${n}@example.com`, message(n))));

/** The position of the nth event that matches. */
const indexOf = (events: Event[], match: (event: Event) => boolean, nth = 0) =>
  events.map((event, index) => (match(event) ? index : -1)).filter((i) => i >= 0)[nth]!;
const isMail = (event: Event) => event.kind === 'command' && event.line.startsWith('MAIL FROM');

describe('the pipelining SMTP pool', () => {
  it("with PIPELINING, sends the next message's MAIL FROM before the relay answers the previous end of data", async () => {
    const server = await startScriptedServer({ pipelining: true, holdDataReplyMs: 150 });
    stops.push(server.close);
    const responses = await sendAll(poolTo(server.port), 3);
    expect(responses).toEqual(['250 2.0.0 queued', '250 2.0.0 queued', '250 2.0.0 queued']);
    const { events } = server;
    expect(indexOf(events, isMail, 1)).toBeLessThan(indexOf(events, (event) => event.kind === 'data-reply', 0));
    // MAIL, RCPT and DATA of one message arrive together, before its data.
    const lines = events.filter((event) => event.kind === 'command').map((event) => (event as { line: string }).line.split(/[ :]/)[0]);
    expect(lines).toEqual(['EHLO', 'MAIL', 'RCPT', 'DATA', 'MAIL', 'RCPT', 'DATA', 'MAIL', 'RCPT', 'DATA']);
  });

  it('without PIPELINING, waits for every reply before the next command', async () => {
    const server = await startScriptedServer({ pipelining: false, holdDataReplyMs: 50 });
    stops.push(server.close);
    await sendAll(poolTo(server.port), 2);
    const { events } = server;
    expect(indexOf(events, isMail, 1)).toBeGreaterThan(indexOf(events, (event) => event.kind === 'data-reply', 0));
  });

  it('sends a message again over a new connection when the relay closed the old one before any of it went out', async () => {
    const server = await startScriptedServer({ pipelining: true, holdDataReplyMs: 30, closeAfterMessages: 1 });
    stops.push(server.close);
    const responses = await sendAll(poolTo(server.port), 3);
    expect(responses).toHaveLength(3);
    const ends = server.events.filter((event) => event.kind === 'end-of-data');
    expect(ends.map((event) => event.connection)).toEqual([1, 2, 3]); // each message's data went out once
  });

  it('dot-stuffs lines that start with a dot and ends bare newlines in CRLF', async () => {
    const received: Buffer[] = [];
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push(Buffer.concat(chunks));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    stops.push(() => new Promise((resolve) => server.close(() => resolve())));
    const pool = poolTo((server.server.address() as AddressInfo).port);
    await pool.send('news@example.org', 'r@example.com', Buffer.from('Subject: dots\n\n.one\r\n..two\r\n.\r\nlast'));
    expect(received[0]!.toString()).toBe('Subject: dots\r\n\r\n.one\r\n..two\r\n.\r\nlast\r\n');
  });
});

describe('a relay with STARTTLS, AUTH and DKIM', () => {
  async function startAuthServer(secure: boolean) {
    const received: { raw: string; user: string | undefined; secure: boolean; body: string | boolean | undefined }[] = [];
    const server = new SMTPServer({
      secure,
      logger: false,
      authMethods: ['PLAIN', 'LOGIN'],
      onAuth(auth, _session, callback) {
        if (auth.username === 'mailer' && auth.password === 'p@ss w/ord') return callback(null, { user: auth.username });
        callback(Object.assign(new Error('5.7.8 Bad credentials'), { responseCode: 535 }));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const args = (session.envelope.mailFrom as { args?: Record<string, string> }).args;
          received.push({ raw: Buffer.concat(chunks).toString(), user: session.user as string | undefined, secure: session.secure, body: args?.BODY });
          callback();
        });
      },
    });
    server.on('error', () => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    stops.push(() => new Promise((resolve) => server.close(() => resolve())));
    return { port: (server.server.address() as AddressInfo).port, received };
  }

  it('upgrades with STARTTLS, signs in, and announces an 8-bit body', async () => {
    const relay = await startAuthServer(false);
    const pool = poolTo(relay.port, { user: 'mailer', pass: 'p@ss w/ord', maxConnections: 2 });
    await pool.send('news@example.org', 'r@example.com', Buffer.from('Subject: café\r\n\r\nNaïve\r\n'));
    expect(relay.received).toMatchObject([{ user: 'mailer', secure: true, body: '8BITMIME' }]);
  });

  it('speaks TLS from the first byte to smtps', async () => {
    const relay = await startAuthServer(true);
    await poolTo(relay.port, { secure: true, user: 'mailer', pass: 'p@ss w/ord' }).send('news@example.org', 'r@example.com', message(1));
    expect(relay.received).toMatchObject([{ user: 'mailer', secure: true }]);
  });

  it('fails with EAUTH on a wrong password: a sender failure, nothing sent', async () => {
    const relay = await startAuthServer(false);
    const error = await poolTo(relay.port, { user: 'mailer', pass: 'wrong' })
      .send('news@example.org', 'r@example.com', message(1))
      .catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'EAUTH', responseCode: 535, nothingSent: true });
    expect(classifyFailure(error)).toMatchObject({ kind: 'sender', reason: expect.stringContaining('authentication failed') });
    expect(relay.received).toEqual([]);
  });

  it('signs with DKIM when a key is configured', async () => {
    const relay = await startAuthServer(false);
    const dir = tempDir('paperboy-dkim-');
    stops.push(async () => dir.remove());
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyFile = join(dir.path, 'dkim.pem');
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
    const pool = openSmtpPool({
      url: `smtp://127.0.0.1:${relay.port}`,
      user: 'mailer',
      pass: 'p@ss w/ord',
      maxConnections: 1,
      rateLimit: 0,
      tlsRejectUnauthorized: false,
      dkim: { domainName: 'example.org', keySelector: 'news', privateKeyFile: keyFile },
    });
    stops.push(() => pool.close());
    await pool.send({ from: 'news@example.org', to: 'r@example.com' }, message(1));
    expect(relay.received[0]!.raw).toMatch(/^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed; d=example.org;[\s\S]*s=news;/);
  });

  it('a refused connection fails the waiting message, marked as nothing sent', async () => {
    const error = await poolTo(1)
      .send('news@example.org', 'r@example.com', message(1))
      .catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ command: 'CONN', nothingSent: true });
    expect(classifyFailure(error)).toMatchObject({ kind: 'outage', reason: 'connection refused by 127.0.0.1:1' });
  });
});
