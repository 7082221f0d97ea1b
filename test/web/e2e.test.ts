import { createServer } from 'node:net';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, findChromium } from '../../src/cli/screenshot.js';
import { loadConfig } from '../../src/config/index.js';
import { createTransport, type Transport } from '../../src/delivery/index.js';
import { deliverEdition } from '../../src/pipeline/index.js';
import { type Db, openDatabase, SqliteEditionStore, SqlitePaperArchive, SqliteSubscriberStore } from '../../src/stores/sqlite/index.js';
import { loadSecret, TokenSigner } from '../../src/subscribers/index.js';
import { buildApp } from '../../src/web/index.js';
import { tempDir } from '../helpers/cli.js';
import { type Sink, startSink } from '../helpers/smtp-sink.js';

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

const dir = tempDir('paperboy-e2e-');
let sink: Sink;
let browser: Browser;
let db: Db;
let transport: Transport;
let app: Awaited<ReturnType<typeof buildApp>>;
let base: string;
let config: ReturnType<typeof loadConfig>;
const email = 'grace@example.org';

beforeAll(async () => {
  sink = await startSink();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  config = loadConfig({
    env: {},
    cwd: dir.path,
    flags: {
      dataDir: join(dir.path, 'data'),
      transport: sink.url,
      source: 'sample',
      'newsletter.baseUrl': base,
      'newsletter.from': 'Paperboy <news@example.org>',
      'delivery.tlsRejectUnauthorized': false,
    },
  });
  db = openDatabase(config.dataDir);
  transport = await createTransport(config.transport, { maxConnections: 1, rateLimit: 0, tlsRejectUnauthorized: false, env: {} });
  app = await buildApp({
    config,
    subscribers: new SqliteSubscriberStore(db),
    editions: new SqliteEditionStore(db),
    papers: new SqlitePaperArchive(db),
    signer: new TokenSigner(loadSecret(config.dataDir)),
    transport,
  });
  await app.listen({ port, host: '127.0.0.1' });
  browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: chromiumArgs });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await transport?.close?.();
  db?.close();
  await sink?.close();
  dir.remove();
});

const statusOf = () => (db.prepare('SELECT status FROM subscribers WHERE email = ?').get(email) as { status: string } | undefined)?.status;

describe('a reader in a real browser', () => {
  it('subscribes, confirms from the email, gets a digest, and unsubscribes in one click like a mail client', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel(/^Name/).fill('Grace Hopper');
    await page.getByLabel('agents').check();
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    expect(statusOf()).toBe('pending');

    await expect.poll(() => sink.received.length, { timeout: 10_000 }).toBe(1);
    const confirmation = await simpleParser(sink.received[0]!.raw);
    expect(confirmation.subject).not.toContain('Grace');
    const link = /(http:\/\/127\.0\.0\.1:\d+\/confirm\?token=[\w.%-]+)/.exec(confirmation.text ?? '')?.[1];
    expect(link).toBeDefined();

    await page.goto(link!);
    expect(statusOf()).toBe('pending'); // opening the link changes nothing
    await page.getByRole('button', { name: 'Yes, subscribe me' }).click();
    await page.getByRole('heading', { name: "You're subscribed" }).waitFor();
    expect(statusOf()).toBe('active');

    const sent = await deliverEdition(config, { list: 'default', date: '2026-08-21' });
    expect(sent.kind === 'sent' && sent.summary.sent).toBe(1);
    const digest = await simpleParser(sink.received[1]!.raw);
    const header = sink.received[1]!.raw.toString('latin1').match(/^List-Unsubscribe: <([^>]+)>/m)?.[1];
    expect(header).toMatch(new RegExp(`^${base}/unsubscribe\\?token=`));
    expect(digest.html).toContain(header!.replace(/=/g, '&#x3D;'));

    // RFC 8058: the mail client POSTs to the List-Unsubscribe URL with this exact body.
    const response = await fetch(header!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(response.status).toBe(200);
    expect(statusOf()).toBe('unsubscribed');
    await page.close();
  });

  it('reads the archive page of the edition it was sent', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    await page.goto(`${base}/archive`);
    await page.getByRole('link', { name: /21 August 2026/ }).click();
    await expect.poll(() => page.url()).toBe(`${base}/archive/2026-08-21`);
    expect(await page.content()).not.toContain(email);
    const width = await page.evaluate('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(375); // no sideways scrolling on a phone
    await page.close();
  });
});
