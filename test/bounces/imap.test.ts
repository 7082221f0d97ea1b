/**
 * The bounce mailbox: a real Dovecot on loopback, a DSN delivered into its INBOX over IMAP, then
 * `paperboy bounces watch --once` reads it, acts on it and moves it to the processed folder.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, runCli, tempDir } from '../helpers/cli.js';
import { startDovecot, type Dovecot } from '../helpers/dovecot.js';
import { subscriberStatus, waitFor } from '../helpers/send.js';
import { dsn } from './mails.js';
import { pino } from 'pino';
import { SqliteBounceStore } from '../../src/bounces/index.js';
import { readMailboxOnce } from '../../src/bounces/imap.js';
import { storeId } from '../../src/db/index.js';
import { ReturnPathTokens } from '../../src/subscribers/index.js';
import { openWorld } from '../helpers/delivery.js';

const dir = tempDir('paperboy-imap-');
let dovecot: Dovecot;

beforeAll(async () => {
  dovecot = await startDovecot();
  writeFileSync(join(dir.path, 'people.csv'), 'email\nada@example.org\nbob@example.org\n');
  const imap = { url: `imap://${dovecot.user}@127.0.0.1:${dovecot.port}`, processedMailbox: 'Done' };
  writeFileSync(join(dir.path, 'paperboy.config.json'), JSON.stringify({ dataDir: 'data', bounces: { imap } }));
  expect((await runCli(['subscribers', 'import', 'people.csv'], { cwd: dir.path })).code).toBe(0);
});
afterAll(async () => {
  await dovecot?.stop();
  dir.remove();
});

async function mailbox<T>(work: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = new ImapFlow({ host: '127.0.0.1', port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.logout();
  }
}
const countIn = (name: string) => mailbox(async (client) => { const status = await client.status(name, { messages: true }); return status ? status.messages : undefined; });

describe('the IMAP bounce mailbox', () => {
  it('reads a DSN from Dovecot, bounces its reader, and moves it to the processed folder', async () => {
    const report = dsn({ deliveryStatus: 'Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; ada@example.org\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 user unknown' });
    await mailbox((client) => client.append('INBOX', report));
    expect(await countIn('INBOX')).toBe(1);

    const result = await runCli(['bounces', 'watch', '--once'], { cwd: dir.path, env: { PAPERBOY_IMAP_PASS: dovecot.password } });
    expect(result.code, result.stderr).toBe(0);
    expect(subscriberStatus(join(dir.path, 'data'), 'ada@example.org')).toBe('bounced');
    expect(subscriberStatus(join(dir.path, 'data'), 'bob@example.org')).toBe('active');
    expect(await countIn('INBOX')).toBe(0);
    expect(await countIn('Done')).toBe(1);
    expect(result.stdout).toMatch(/"read":1/);
  });

  it('is read by paperboy schedule beside its sends, until the schedule stops', async () => {
    writeFileSync(join(dir.path, 'schedule.config.json'), JSON.stringify({
      dataDir: 'data', bounces: { imap: { url: `imap://${dovecot.user}@127.0.0.1:${dovecot.port}`, processedMailbox: 'Done', intervalSeconds: 1 } },
    }));
    const schedule = spawn(process.execPath, [join(projectRoot, 'bin', 'paperboy.js'), '--config', 'schedule.config.json', 'schedule'], {
      cwd: dir.path, env: { PATH: process.env.PATH, HOME: process.env.HOME, PAPERBOY_IMAP_PASS: dovecot.password }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    schedule.stdout.on('data', (chunk) => (log += chunk));
    const exited = new Promise<number | null>((resolve) => schedule.once('exit', resolve));
    try {
      await waitFor(() => log.includes('watching the bounce mailbox'));
      const report = dsn({ headers: { 'Message-ID': '<dsn.2@mx.example.net>' }, deliveryStatus: 'Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; bob@example.org\nAction: failed\nStatus: 5.1.1' });
      await mailbox((client) => client.append('INBOX', report));
      await waitFor(() => subscriberStatus(join(dir.path, 'data'), 'bob@example.org') === 'bounced');
    } finally {
      schedule.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(log).toContain('schedule stopped');
  });

  it('leaves a report in the mailbox when the store fails to take it, for the next pass', async () => {
    const world = openWorld(join(dir.path, 'failing-store'));
    try {
      // The store's other reads work; taking the report fails, as a locked or lost database would.
      const failing = Object.assign(Object.create(new SqliteBounceStore(world.db)) as SqliteBounceStore, {
        record: async () => Promise.reject(new Error('database is locked')),
      });
      const deps = { config: world.config, subscribers: world.subscribers, bounces: failing, storeId: storeId(world.db), tokens: new ReturnPathTokens(world.signer) };
      const report = dsn({ headers: { 'Message-ID': '<dsn.3@mx.example.net>' }, deliveryStatus: 'Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; zed@example.org\nAction: failed\nStatus: 5.1.1' });
      await mailbox((client) => client.append('INBOX', report));
      const settings = { url: `imap://${dovecot.user}:${dovecot.password}@127.0.0.1:${dovecot.port}`, mailbox: 'INBOX', processedMailbox: 'Done', intervalSeconds: 60, tlsRejectUnauthorized: true };
      await expect(readMailboxOnce(settings, deps, pino({ level: 'silent' }))).rejects.toThrow('database is locked');
      expect(await countIn('INBOX')).toBe(1);
      // With the store back, the same report is read and moved.
      const working = { ...deps, bounces: new SqliteBounceStore(world.db) };
      expect(await readMailboxOnce(settings, working, pino({ level: 'silent' }))).toBe(1);
      expect(await countIn('INBOX')).toBe(0);
    } finally {
      world.close();
    }
  });

  it('says in one line when the password is wrong, and exits non-zero', async () => {
    const result = await runCli(['bounces', 'watch', '--once'], { cwd: dir.path, env: { PAPERBOY_IMAP_PASS: 'wrong' } });
    expect(result.code).toBe(7);
    expect(result.stderr.trim()).toMatch(/^paperboy: Cannot read the bounce mailbox imap:\/\/127\.0\.0\.1:\d+\/INBOX: the server refused the user "bounces" and its password; check bounces\.imap/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
