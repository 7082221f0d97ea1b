/**
 * The relay judged by the pattern, not one reply (issue #19), through `paperboy send` and real
 * SMTP servers: a relay that rejects a share of the list, one recipient domain that bounces, one
 * reader's policy reject, DMARC refusals at DATA for a few, deferrals that outlive the run, a
 * server that never greets, the --retry-failed line run as printed, and a data directory on a
 * full disk.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/stores/sqlite/index.js';
import { fixture, runCli, tempDir } from '../helpers/cli.js';
import { available, isRoot } from '../helpers/requirements.js';
import { ledgerStatuses, prepareSend, sendCli } from '../helpers/send.js';
import { type Refusal, startSink } from '../helpers/smtp-sink.js';

const dir = tempDir('paperboy-patterns-');
afterAll(dir.remove);
let cases = 0;
const source = `file:${fixture('2026-08-21')}`;
const secretEnv = { PAPERBOY_SECRET: 'a-test-secret-of-enough-length' };

async function world(emails: string[], config: Record<string, unknown> = {}) {
  const work = join(dir.path, `case-${++cases}`);
  mkdirSync(work);
  await prepareSend(work, emails, { source, ...config });
  return { work, data: join(work, 'data') };
}

const readers = (count: number, domain = (i: number) => `example${i % 7}.org`) => Array.from({ length: count }, (_, i) => `reader${i}@${domain(i)}`);
const index = (address: string) => Number(/reader(\d+)@/.exec(address)![1]);

function query<T>(dataDir: string, sql: string, ...params: unknown[]): T[] {
  const db = openDatabase(dataDir);
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}
const subscriberStatuses = (dataDir: string) =>
  Object.fromEntries(
    query<{ status: string; n: number }>(dataDir, 'SELECT status, count(*) AS n FROM subscribers GROUP BY status').map((row) => [row.status, row.n]),
  );

describe('a relay that refuses part of the list', () => {
  it('40% answered 550 5.1.1, spread through the list: paused (exit 7), at most 2% bounced, and a working relay then reaches everyone', async () => {
    const emails = readers(1000);
    const { work, data } = await world(emails, { delivery: { concurrency: 10 } });
    const broken = await startSink({
      rcpt: (address) => (index(address) % 5 < 2 ? { code: 550, text: '5.1.1 <x>: Recipient address rejected: User unknown' } : undefined),
    });
    const working = await startSink();
    try {
      const first = await sendCli(work, ['--transport', broken.url]);
      expect(first.code).toBe(7);
      expect(first.stderr).toMatch(/Paused: \d+ of the last 200 recipients bounced .*more than the 5% a real list bounces/);
      expect(first.stderr.trim().split('\n')).toHaveLength(1);
      expect(subscriberStatuses(data).bounced ?? 0).toBeLessThanOrEqual(20);
      expect(ledgerStatuses(data).failed ?? 0).toBeLessThanOrEqual(20);
      const second = await sendCli(work, ['--transport', working.url]);
      expect(second.code, second.stderr).toBe(0);
      const reached = new Set([...broken.received, ...working.received].map((mail) => mail.to[0]));
      expect(reached.size).toBe(1000);
    } finally {
      await broken.close();
      await working.close();
    }
  });

  it('one recipient domain bouncing everyone: its mail is held and its bounces undone, the rest of the list delivered', async () => {
    const emails = readers(600, (i) => (i % 25 === 0 ? 'dead.example' : `live${i % 5}.example`)); // 4%: the run as a whole stays under the rate
    const { work, data } = await world(emails, { delivery: { concurrency: 10 } });
    const sink = await startSink({ rcpt: (address) => (address.endsWith('@dead.example') ? { code: 550, text: '5.1.1 No such user' } : undefined) });
    try {
      const result = await sendCli(work, ['--transport', sink.url]);
      expect(result.code).toBe(7);
      expect(result.stderr).toMatch(/Held mail to dead\.example: its bounces went far beyond a list's rate/);
      const live = emails.filter((email) => !email.endsWith('@dead.example'));
      expect(new Set(sink.received.map((mail) => mail.to[0]))).toEqual(new Set(live));
      expect(query<{ n: number }>(data, `SELECT count(*) AS n FROM subscribers WHERE status = 'bounced'`)[0]!.n).toBe(0);
      const summary = JSON.parse(result.stdout);
      expect(summary.pausedDomains).toEqual([{ domain: 'dead.example', reason: expect.stringMatching(/^\d+ of its last 200 recipients bounced/) }]);
    } finally {
      await sink.close();
    }
  });
});

describe('a policy refusal is about the reader when others get through', () => {
  it("one of 500 answered 550 5.7.1 at RCPT: one run delivers the other 499 and exits 0; that reader's row failed (reject), the reader still active", async () => {
    const emails = readers(500);
    const { work, data } = await world(emails);
    const refused = 'reader137@example4.org';
    const sink = await startSink({
      rcpt: (address) => (address === refused ? { code: 550, text: '5.7.1 <reader137@example4.org>: Recipient address rejected: Access denied' } : undefined),
    });
    try {
      const result = await sendCli(work, ['--transport', sink.url]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(sink.received).toHaveLength(499);
      expect(
        query(
          data,
          `SELECT d.status, d.failure_kind, s.status AS reader FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE s.email = ?`,
          refused,
        ),
      ).toEqual([{ status: 'failed', failure_kind: 'reject', reader: 'active' }]);
    } finally {
      await sink.close();
    }
  });

  it('5% refused with DMARC-style 550 5.7.26 at DATA: everyone else gets it in one run, exit 0', async () => {
    const emails = readers(500);
    const { work, data } = await world(emails);
    const dmarc = (recipients: string[]): Refusal | undefined =>
      index(recipients[0]!) % 20 === 7 ? { code: 550, text: '5.7.26 Unauthenticated email from example.org is not accepted due to DMARC policy' } : undefined;
    const sink = await startSink({ data: dmarc });
    try {
      const result = await sendCli(work, ['--transport', sink.url]);
      expect(result.code, result.stderr).toBe(0);
      expect(sink.received).toHaveLength(475);
      expect(ledgerStatuses(data)).toEqual({ sent: 475, failed: 25 });
      expect(subscriberStatuses(data)).toEqual({ active: 500 });
    } finally {
      await sink.close();
    }
  });

  it('5.7.1 for every recipient is about us: the run pauses within a few, failing nobody', async () => {
    const { work, data } = await world(readers(100), { delivery: { concurrency: 2 } });
    const sink = await startSink({ rcpt: () => ({ code: 550, text: '5.7.1 Service unavailable; client host blocked' }) });
    try {
      const result = await sendCli(work, ['--transport', sink.url]);
      expect(result.code).toBe(7);
      expect(result.stderr).toMatch(/Paused: the server refused the run: \d+ recipients in a row answered 550 5\.7\.1/);
      expect(ledgerStatuses(data).failed ?? 0).toBe(0);
    } finally {
      await sink.close();
    }
  });
});

describe('deferrals outlive the run', () => {
  it('20 of 500 deferred on every attempt, default settings: exit 0 within the short in-run window, 480 sent, 20 waiting with a time', {
    timeout: 240_000,
  }, async () => {
    const emails = readers(500);
    const { work, data } = await world(emails);
    const sink = await startSink({ rcpt: (address) => (index(address) % 25 === 0 ? { code: 451, text: '4.7.1 Greylisted, try again later' } : undefined) });
    try {
      const result = await sendCli(work, ['--transport', sink.url]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(ledgerStatuses(data)).toEqual({ sent: 480, retry: 20 });
      const waiting = query<{ next_attempt_at: string; deferred_since: string }>(
        data,
        `SELECT next_attempt_at, deferred_since FROM deliveries WHERE status = 'retry'`,
      );
      for (const row of waiting) expect(Date.parse(row.next_attempt_at)).toBeGreaterThan(Date.parse(row.deferred_since));
      const summary = JSON.parse(result.stdout);
      expect(summary.nextRetryAt).toEqual(expect.any(String));
      // The deferred ones are tried again once they are due, within the window: here, by a run after their time.
      const later = await runCli(['send', '--date', '2026-08-21', '--transport', sink.url], { cwd: work, env: secretEnv });
      expect(later.code, later.stderr).toBe(0);
      expect(later.stdout).toMatch(/20 messages wait for a retry from .*: `paperboy schedule` retries them/);
    } finally {
      await sink.close();
    }
  });
});

describe('a server that never greets', () => {
  it('pauses at the first greeting timeout (30 s), giving up the sends still waiting for a connection: one wave of connections', {
    timeout: 120_000,
  }, async () => {
    const connections: Socket[] = [];
    const silent = createServer((socket) => {
      connections.push(socket);
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { work } = await world(readers(40), { delivery: { maxConnections: 4, concurrency: 8 } });
      const result = await sendCli(work, ['--transport', `smtp://127.0.0.1:${(silent.address() as AddressInfo).port}`]);
      expect(result.code).toBe(7);
      expect(result.stderr).toMatch(/Paused: cannot reach the server: no answer from the server in time/);
      expect(connections.length).toBeLessThanOrEqual(4); // one wave of the pool's 4 connections: nobody waits out a second timeout
      expect(JSON.parse(result.stdout)).toMatchObject({ sent: 0, failed: 0 });
    } finally {
      for (const socket of connections) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('the commands printed after a send', () => {
  it('--retry-failed as editions show prints it sends through the SMTP server the edition went out through', async () => {
    const emails = readers(30);
    const { work } = await world(emails);
    const refusing = 'reader5@example5.org';
    let refuse = true;
    const sink = await startSink({ rcpt: (address) => (refuse && address === refusing ? { code: 550, text: '5.7.1 Access denied' } : undefined) });
    try {
      const data = join(work, 'elsewhere');
      const run = (args: string[]) => runCli(['--data-dir', data, ...args], { cwd: work, env: secretEnv });
      await run(['subscribers', 'import', 'people.csv']);
      const sent = await run(['send', '--date', '2026-08-21', '--transport', sink.url]);
      expect(sent.code, sent.stderr).toBe(0);
      expect(sent.stdout).toContain(`Details: `);
      expect(sent.stdout).toMatch(/--data-dir \S+elsewhere editions show 2026-08-21 --list default/);
      const shown = await run(['editions', 'show', '2026-08-21']);
      const line = /To send the failed ones again \(bounces excepted\): (.+)$/m.exec(shown.stdout)?.[1];
      expect(line).toMatch(/--data-dir \S+ send --list default --date 2026-08-21 --transport smtp:\/\/127\.0\.0\.1:\d+ --retry-failed$/);
      refuse = false;
      const before = sink.received.length;
      const words = line!.split(' ').slice(1); // the command as printed, without the program
      const again = await runCli(words, { cwd: work, env: secretEnv });
      expect(again.code, again.stderr).toBe(0);
      expect(sink.received.slice(before).map((mail) => mail.to[0])).toEqual([refusing]);
    } finally {
      await sink.close();
    }
  });
});

describe.skipIf(!available(isRoot, 'the full-disk test mounts a tmpfs: it needs root'))('a data directory on a full disk', () => {
  /** A 3 MB tmpfs of the test's own (root: CI runs the tests as root), filled up to `leave` bytes. */
  function fullDisk(name: string) {
    const mount = join(dir.path, name);
    mkdirSync(mount);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', mount]);
    const fill = (leave: number) => {
      const free = Number(execFileSync('df', ['--output=avail', '-B1', mount], { encoding: 'utf8' }).trim().split('\n').at(-1));
      writeFileSync(join(mount, 'filler'), Buffer.alloc(Math.max(0, free - leave)));
    };
    return { mount, fill, unmount: () => execFileSync('umount', [mount]) };
  }

  it('fails in one line with exit 6 at enqueue, naming the file, and mid-send, whichever moment', async () => {
    const disk = fullDisk('full-disk');
    try {
      const emails = readers(200);
      const work = join(dir.path, `case-${++cases}`);
      mkdirSync(work);
      await prepareSend(work, emails, { source, dataDir: join(disk.mount, 'data') });
      disk.fill(0);
      const atEnqueue = await sendCli(work);
      expect(atEnqueue.code).toBe(6);
      expect(atEnqueue.stderr.trim().split('\n')).toHaveLength(1);
      // SQLite says so as SQLITE_FULL, or, on a tmpfs, as a shared-memory write that failed.
      expect(atEnqueue.stderr).toMatch(
        /^paperboy: (the disk is full: cannot write \S+paperboy\.db;|cannot write \S+paperboy\.db \(SQLITE_IOERR\w*\): the disk is full or failing;)/,
      );
      expect(atEnqueue.stderr).not.toMatch(/a bug|\n\s+at /);

      // Room for the ledger and a few messages of the outbox, not for all of them.
      execFileSync('rm', [join(disk.mount, 'filler')]);
      disk.fill(300 * 1024);
      const midSend = await sendCli(work);
      expect(midSend.code).toBe(6);
      expect(midSend.stderr.trim().split('\n')).toHaveLength(1);
      expect(midSend.stderr).toMatch(/^paperboy: (the disk is full: cannot write |cannot write \S+ \(SQLITE_IOERR\w*\): the disk is full)/);
      expect(midSend.stderr).not.toMatch(/a bug|\n\s+at /);
    } finally {
      disk.unmount();
    }
  });
});
