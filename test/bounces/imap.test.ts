/**
 * The bounce mailbox: a real Dovecot on loopback, a DSN delivered into its INBOX over IMAP, then
 * `paperboy bounces watch --once` reads it, acts on it and moves it to the processed folder.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { type AddressInfo, connect, createServer } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { readMailboxOnce } from '../../src/bounces/imap.js';
import { ingestDeps } from '../../src/bounces/index.js';
import { SqliteBounceStore, storeId } from '../../src/stores/sqlite/index.js';
import { loadSecret, ReturnPathTokens, TokenSigner } from '../../src/subscribers/index.js';
import { projectRoot, runCli, tempDir } from '../helpers/cli.js';
import { openWorld } from '../helpers/delivery.js';
import { type Dovecot, startDovecot, withMailbox } from '../helpers/dovecot.js';
import { track } from '../helpers/processes.js';
import { subscriberStatus, waitFor } from '../helpers/send.js';
import { dsn } from './mails.js';

const returnPath = 'bounces+{token}@news.example.org';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A folder of the test's own, removed after it. */
function ownFolder(): string {
  const dir = tempDir('paperboy-imap-');
  cleanups.push(dir.remove);
  return dir.path;
}

/** A Dovecot of the test's own, stopped after it: its INBOX starts empty. */
async function ownDovecot(): Promise<Dovecot> {
  const dovecot = await startDovecot();
  cleanups.push(() => dovecot.stop());
  return dovecot;
}

/** A folder with ada (reader 1) and bob (reader 2) imported, whose config reads `dovecot`'s INBOX. */
async function newsletter(dovecot: Dovecot): Promise<string> {
  const dir = ownFolder();
  writeFileSync(join(dir, 'people.csv'), 'email\nada@example.org\nbob@example.org\n');
  // imap:// upgrades with STARTTLS before the password goes out (the test server's certificate is self-signed).
  const imap = { url: `imap://${dovecot.user}@127.0.0.1:${dovecot.port}`, processedMailbox: 'Done', tlsRejectUnauthorized: false };
  writeFileSync(join(dir, 'paperboy.config.json'), JSON.stringify({ dataDir: 'data', bounces: { imap }, delivery: { returnPath } }));
  expect((await runCli(['subscribers', 'import', 'people.csv'], { cwd: dir })).code).toBe(0);
  return dir;
}

/** The return path of a message sent to reader `id` of `dir`, as a DSN comes back to it. */
const returnPathOf = (dir: string, id: number) =>
  returnPath.replace('{token}', new ReturnPathTokens(new TokenSigner(loadSecret(join(dir, 'data'), {}))).make(id, 1));

const countIn = (dovecot: Dovecot, name: string) =>
  withMailbox(dovecot, async (client) => {
    const status = await client.status(name, { messages: true });
    return status ? status.messages : undefined;
  });

describe('the IMAP bounce mailbox', () => {
  it('reads a DSN from Dovecot, bounces its reader, and moves it to the processed folder', async () => {
    const dovecot = await ownDovecot();
    const dir = await newsletter(dovecot);
    const report = dsn({
      headers: { To: returnPathOf(dir, 1) },
      deliveryStatus:
        'Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; ada@example.org\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 user unknown',
    });
    await withMailbox(dovecot, (client) => client.append('INBOX', report));
    expect(await countIn(dovecot, 'INBOX')).toBe(1);

    const result = await runCli(['bounces', 'watch', '--once'], { cwd: dir, env: { PAPERBOY_IMAP_PASS: dovecot.password } });
    expect(result.code, result.stderr).toBe(0);
    expect(subscriberStatus(join(dir, 'data'), 'ada@example.org')).toBe('bounced');
    expect(subscriberStatus(join(dir, 'data'), 'bob@example.org')).toBe('active');
    expect(await countIn(dovecot, 'INBOX')).toBe(0);
    expect(await countIn(dovecot, 'Done')).toBe(1);
    expect(result.stdout).toMatch(/"read":1/);
  });

  it('is read by paperboy schedule beside its sends, until the schedule stops', async () => {
    const dovecot = await ownDovecot();
    const dir = await newsletter(dovecot);
    writeFileSync(
      join(dir, 'schedule.config.json'),
      JSON.stringify({
        dataDir: 'data',
        delivery: { returnPath },
        bounces: {
          imap: { url: `imap://${dovecot.user}@127.0.0.1:${dovecot.port}`, processedMailbox: 'Done', intervalSeconds: 1, tlsRejectUnauthorized: false },
        },
      }),
    );
    const schedule = track(
      spawn(process.execPath, [join(projectRoot, 'bin', 'paperboy.js'), '--config', 'schedule.config.json', 'schedule'], {
        cwd: dir,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, PAPERBOY_IMAP_PASS: dovecot.password },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    let log = '';
    schedule.stdout.on('data', (chunk) => (log += chunk));
    const exited = new Promise<number | null>((resolve) => schedule.once('exit', resolve));
    try {
      await waitFor(() => log.includes('watching the bounce mailbox'));
      const report = dsn({
        headers: { 'Message-ID': '<dsn.2@mx.example.net>', To: returnPathOf(dir, 2) },
        deliveryStatus: 'Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; bob@example.org\nAction: failed\nStatus: 5.1.1',
      });
      await withMailbox(dovecot, (client) => client.append('INBOX', report));
      await waitFor(() => subscriberStatus(join(dir, 'data'), 'bob@example.org') === 'bounced');
    } finally {
      schedule.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(log).toContain('schedule stopped');
  });

  it('leaves a report in the mailbox when the store fails to take it, for the next pass', async () => {
    const dovecot = await ownDovecot();
    const world = openWorld(ownFolder());
    try {
      // The store's other reads work; taking the report fails, as a locked or lost database would.
      const failing = Object.assign(Object.create(new SqliteBounceStore(world.db)) as SqliteBounceStore, {
        record: async () => Promise.reject(new Error('database is locked')),
      });
      const deps = ingestDeps(world.config, { subscribers: world.subscribers, bounces: failing, storeId: storeId(world.db), signer: world.signer });
      const report = dsn({
        headers: { 'Message-ID': '<dsn.3@mx.example.net>' },
        deliveryStatus: 'Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; zed@example.org\nAction: failed\nStatus: 5.1.1',
      });
      await withMailbox(dovecot, (client) => client.append('INBOX', report));
      const settings = {
        url: `imap://${dovecot.user}:${dovecot.password}@127.0.0.1:${dovecot.port}`,
        mailbox: 'INBOX',
        processedMailbox: 'Done',
        intervalSeconds: 60,
        tlsRejectUnauthorized: false,
        allowCleartext: false,
      };
      await expect(readMailboxOnce(settings, deps, pino({ level: 'silent' }))).rejects.toThrow('database is locked');
      expect(await countIn(dovecot, 'INBOX')).toBe(1);
      // With the store back, the same report is read and moved.
      const working = { ...deps, bounces: new SqliteBounceStore(world.db) };
      expect(await readMailboxOnce(settings, working, pino({ level: 'silent' }))).toBe(1);
      expect(await countIn(dovecot, 'INBOX')).toBe(0);
    } finally {
      world.close();
    }
  });

  it('never sends the password to a server that offers no STARTTLS, unless told so for loopback', async () => {
    const dir = ownFolder();
    const plain = await startDovecot({ tls: false });
    // A relay in between that keeps every byte paperboy writes.
    const written: Buffer[] = [];
    const proxy = createServer((client) => {
      const server = connect(plain.port, '127.0.0.1');
      client.on('data', (chunk) => written.push(chunk));
      client.pipe(server).pipe(client);
      client.on('error', () => server.destroy());
      server.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const port = (proxy.address() as AddressInfo).port;
    try {
      const config = (extra: object) => JSON.stringify({ dataDir: 'data', bounces: { imap: { url: `imap://${plain.user}@127.0.0.1:${port}`, ...extra } } });
      writeFileSync(join(dir, 'plain.config.json'), config({}));
      const refused = await runCli(['--config', 'plain.config.json', 'bounces', 'watch', '--once'], { cwd: dir, env: { PAPERBOY_IMAP_PASS: plain.password } });
      expect(refused.code).toBe(7);
      expect(refused.stderr.trim()).toMatch(
        /^paperboy: Cannot read the bounce mailbox imap:\/\/127\.0\.0\.1:\d+\/INBOX: the server offers no STARTTLS, and the password never goes out in clear/,
      );
      expect(refused.stderr.trim().split('\n')).toHaveLength(1);
      expect(Buffer.concat(written).toString('latin1')).not.toContain(plain.password);
      expect(Buffer.concat(written).toString('latin1')).not.toContain(Buffer.from(`\0${plain.user}\0${plain.password}`).toString('base64'));
      // The explicit opt-out, for a server on loopback.
      writeFileSync(join(dir, 'plain.config.json'), config({ allowCleartext: true }));
      const allowed = await runCli(['--config', 'plain.config.json', 'bounces', 'watch', '--once'], { cwd: dir, env: { PAPERBOY_IMAP_PASS: plain.password } });
      expect(allowed.code, allowed.stderr).toBe(0);
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
      await plain.stop();
    }
  });

  it.each([
    ['a broken %-escape', 'imaps://bounces:%zz@imap.example.org', /has a broken %-escape in its user or password/],
    ['no host', 'imaps:///INBOX', /names no host/],
    ['cleartext off loopback', 'imap://bounces:s3cret%2Fpass@imap.example.org', /allowCleartext: a password in clear goes only to this machine's loopback/],
  ])('refuses a mailbox URL with %s: exit 2, one line, no password', async (_name, url, reason) => {
    const dir = ownFolder();
    writeFileSync(join(dir, 'bad.config.json'), JSON.stringify({ dataDir: 'data', bounces: { imap: { url, allowCleartext: true } } }));
    const result = await runCli(['--config', 'bad.config.json', 'bounces', 'watch', '--once'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(reason);
    expect(result.stderr).not.toMatch(/zz|s3cret/);
  });

  it('says in one line when the password is wrong, and exits non-zero', async () => {
    const dir = await newsletter(await ownDovecot());
    const result = await runCli(['bounces', 'watch', '--once'], { cwd: dir, env: { PAPERBOY_IMAP_PASS: 'wrong' } });
    expect(result.code).toBe(7);
    expect(result.stderr.trim()).toMatch(
      /^paperboy: Cannot read the bounce mailbox imap:\/\/127\.0\.0\.1:\d+\/INBOX: the server refused the user "bounces" and its password; check bounces\.imap/,
    );
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
