import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/stores/sqlite/index.js';
import { type CliResult, fixture, projectRoot, runCli, tempDir } from '../helpers/cli.js';
import { track } from '../helpers/processes.js';
import { ledgerStatuses, prepareSend, sendCli, spawnSend, waitFor } from '../helpers/send.js';
import { type ReceivedMail, type Refusal, startSink } from '../helpers/smtp-sink.js';

const dir = tempDir('paperboy-failure-paths-');
afterAll(dir.remove);
let cases = 0;
const source = `file:${fixture('2026-08-21')}`;
const secretEnv = { PAPERBOY_SECRET: 'a-test-secret-of-enough-length' };

/** A fresh folder with `count` readers reader<n>@example.org and a config (merged over the defaults below). */
async function world(count: number, config: Record<string, unknown> = {}) {
  const work = join(dir.path, `case-${++cases}`);
  mkdirSync(work);
  const emails = Array.from({ length: count }, (_, index) => `reader${index}@example.org`);
  await prepareSend(work, emails, { source, ...config });
  return { work, data: join(work, 'data'), emails };
}

function statusesOfSubscribers(dataDir: string): Record<string, number> {
  const db = openDatabase(dataDir);
  try {
    const rows = db.prepare('SELECT status, count(*) AS n FROM subscribers GROUP BY status').all() as { status: string; n: number }[];
    return Object.fromEntries(rows.map((row) => [row.status, row.n]));
  } finally {
    db.close();
  }
}

function ledgerColumn(dataDir: string, sql: string): unknown {
  const db = openDatabase(dataDir);
  try {
    return Object.values(db.prepare(sql).get() as Record<string, unknown>)[0];
  } finally {
    db.close();
  }
}

/** How many times each address got a message, and with which Message-IDs. */
async function deliveries(mails: readonly ReceivedMail[]): Promise<Map<string, string[]>> {
  const byRecipient = new Map<string, string[]>();
  for (const mail of mails) {
    const id = (await simpleParser(mail.raw)).messageId!;
    byRecipient.set(mail.to[0]!, [...(byRecipient.get(mail.to[0]!) ?? []), id]);
  }
  return byRecipient;
}

const exactlyOnce = async (mails: readonly ReceivedMail[], emails: readonly string[]) => {
  const got = await deliveries(mails);
  expect([...got.keys()].sort()).toEqual([...emails].sort());
  expect([...got.values()].every((ids) => ids.length === 1)).toBe(true);
};

/** A sink whose answer at RCPT can be changed while it runs ("fixing the relay"). */
async function switchableSink(initial: (address: string, attempt: number) => Refusal | undefined) {
  let behaviour = initial;
  const sink = await startSink({ rcpt: (address, attempt) => behaviour(address, attempt) });
  return { sink, fix: () => (behaviour = () => undefined) };
}

describe('delivery failures that are not the readers’ fault', () => {
  it('a relay answering 550 5.1.1 to everyone pauses the run, bounces nobody, and a working relay then gets all 1,000', async () => {
    const { work, data, emails } = await world(1000, { delivery: { concurrency: 20 } });
    const broken = await startSink({ rcpt: () => ({ code: 550, text: '5.1.1 <someone>: Recipient address rejected: User unknown' }) });
    const working = await startSink();
    try {
      const first = await sendCli(work, ['--transport', broken.url]);
      expect(first.code).toBe(7);
      expect(first.stderr).toMatch(/Paused: \d+ of the last 200 recipients bounced/);
      expect(statusesOfSubscribers(data)).toEqual({ active: 1000 });
      expect(ledgerStatuses(data).failed ?? 0).toBe(0);
      expect(broken.received).toHaveLength(0);

      const second = await sendCli(work, ['--transport', working.url]);
      expect(second.code).toBe(0);
      expect(JSON.parse(second.stdout)).toMatchObject({ complete: true, failed: 0, bounced: 0 });
      await exactlyOnce(working.received, emails);
      expect(working.received.every((mail) => mail.mailFromArgs.BODY === '8BITMIME')).toBe(true);
    } finally {
      await broken.close();
      await working.close();
    }
  });

  it.each([
    ['a rejected sender reported at RCPT (Postfix: 553 5.1.8)', { code: 553, text: '5.1.8 <news@example.org>: Sender address rejected: Domain not found' }],
    ['relay access denied (554 5.7.1)', { code: 554, text: '5.7.1 <someone>: Relay access denied' }],
  ])('%s pauses at once, fails and bounces nobody; after the fix a resume delivers every reader exactly once', async (_label, refusal) => {
    const { work, data, emails } = await world(100, { delivery: { concurrency: 4 } });
    let accepted = 0;
    // The first 30 go through, then the relay starts refusing us (as a config reload would).
    const relay = await switchableSink(() => (accepted++ < 30 ? undefined : refusal));
    try {
      await prepareTransport(work, relay.sink.url);
      const first = await sendCli(work);
      expect(first.code).toBe(7);
      expect(first.stderr).toContain(`Paused: the server refused the run: ${refusal.code} ${refusal.text}`);
      expect(first.stderr).toContain('Every unsent message is waiting');
      expect(statusesOfSubscribers(data)).toEqual({ active: 100 });
      const statuses = ledgerStatuses(data);
      expect(statuses.failed ?? 0).toBe(0);
      expect(statuses.sent).toBe(relay.sink.received.length);

      relay.fix();
      const resumed = await sendCli(work);
      expect(resumed.code).toBe(0);
      expect(JSON.parse(resumed.stdout)).toMatchObject({ complete: true, failed: 0 });
      await exactlyOnce(relay.sink.received, emails);
    } finally {
      await relay.sink.close();
    }
  });

  it('an unreachable server pauses within seconds naming the refused connection; a later run delivers both', async () => {
    const { work, emails } = await world(2, { transport: 'smtp://127.0.0.1:1' });
    const first = await sendCli(work);
    expect(first.code).toBe(7); // paused at once: it does not wait out the retry window on a server that is not there
    expect(first.stderr).toContain('connection refused by 127.0.0.1:1');
    expect(first.stderr.trim().split('\n')).toHaveLength(1);
    const sink = await startSink();
    try {
      const second = await sendCli(work, ['--transport', sink.url]);
      expect(second.code).toBe(0);
      await exactlyOnce(sink.received, emails);
    } finally {
      await sink.close();
    }
  });

  it('20 of 500 readers deferred on every attempt: exit 0, 480 sent, 20 waiting, and it says when they are retried', async () => {
    const deferred = (address: string) => Number(/reader(\d+)@/.exec(address)![1]) % 25 === 0;
    const sink = await startSink({ rcpt: (address) => (deferred(address) ? { code: 451, text: '4.7.1 Greylisted, try again later' } : undefined) });
    try {
      const { work, data } = await world(500, { transport: sink.url, delivery: { concurrency: 10, retryBaseMs: 100, retryWindowMinutes: 0.01 } });
      const result = await runCli(['send', '--date', '2026-08-21'], { cwd: work, env: secretEnv });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('480 sent this run');
      expect(result.stdout).toMatch(/20 messages wait for a retry from \d{4}-\d\d-\d\dT[\d:.]+Z/);
      expect(result.stdout).toContain('Most common failure (deferred): 451 4.7.1 Greylisted, try again later');
      expect(ledgerStatuses(data)).toEqual({ sent: 480, retry: 20 });
    } finally {
      await sink.close();
    }
  });

  it('421 "too many connections" spends no attempt and lowers the connection count for the rest of the run', async () => {
    const sink = await startSink({ maxClients: 4, delayMs: 5 });
    try {
      const { work, data, emails } = await world(300, { transport: sink.url, delivery: { concurrency: 20, maxConnections: 10 } });
      const result = await sendCli(work);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const summary = JSON.parse(result.stdout);
      expect(summary).toMatchObject({ complete: true, failed: 0 });
      expect(summary.connectionsLoweredTo).toBe(4);
      expect(ledgerColumn(data, 'SELECT max(attempts) FROM deliveries')).toBe(1);
      await exactlyOnce(sink.received, emails);
    } finally {
      await sink.close();
    }
  });

  it('a run stalled past its lease changes nothing once another run took over: no reader is turned back, duplicates ≤ in-flight', async () => {
    const concurrency = 4;
    const sink = await startSink({ delayMs: 10 });
    try {
      const { work, data, emails } = await world(300, { transport: sink.url, delivery: { concurrency, maxConnections: 2, leaseSeconds: 2 } });
      const stalled = spawnSend(work);
      await waitFor(() => sink.received.length >= 30);
      stopOutsideWriteTransaction(stalled.child, data);
      await new Promise((resolve) => setTimeout(resolve, 3000)); // past the 2 s lease
      const takeover = await sendCli(work);
      expect(takeover.code).toBe(0);
      const takenOver = JSON.parse(takeover.stdout);
      expect(takenOver).toMatchObject({ complete: true });
      const receivedBeforeWaking = sink.received.length;
      stalled.child.kill('SIGCONT');
      const woke = await stalled.done;
      expect(woke.code).toBe(6);
      expect(woke.stderr).toContain('another run took the edition over');
      expect(sink.received.length - receivedBeforeWaking).toBeLessThanOrEqual(concurrency);
      expect(ledgerStatuses(data)).toEqual({ sent: emails.length });
      const got = await deliveries(sink.received);
      expect([...got.keys()].sort()).toEqual([...emails].sort());
      const duplicates = [...got.values()].filter((ids) => ids.length > 1);
      expect(duplicates.length).toBeLessThanOrEqual(concurrency);
      for (const ids of duplicates) expect(new Set(ids).size).toBe(1);
      // Admitted, not hidden: the takeover counts what it re-sent of the stalled run's in-flight messages.
      expect(takenOver.mayHaveGoneTwice).toBeGreaterThanOrEqual(duplicates.length);
      expect(takenOver.recovered).toBe(takenOver.mayHaveGoneTwice);
      if (takenOver.mayHaveGoneTwice > 0) expect(takeover.stderr + takeover.stdout).not.toContain('without recording anything twice');
    } finally {
      await sink.close();
    }
  });
});

/**
 * SIGSTOPs a sending child at a moment it holds no SQLite write lock. A process frozen inside a
 * write transaction blocks every other writer of the file (that is SQLite, not the lease), so a
 * stop that lands there would test the busy timeout instead of the lease.
 */
function stopOutsideWriteTransaction(child: ChildProcess, dataDir: string): void {
  const db = openDatabase(dataDir, { busyTimeoutMs: 0 });
  try {
    for (;;) {
      child.kill('SIGSTOP');
      while (!isStopped(child.pid!));
      try {
        db.exec('BEGIN IMMEDIATE');
        db.exec('ROLLBACK');
        return;
      } catch {
        child.kill('SIGCONT');
        const until = Date.now() + 5;
        while (Date.now() < until); // let it finish its transaction
      }
    }
  } finally {
    db.close();
  }
}

/** Whether the kernel has the process stopped (state T in /proc/<pid>/stat). */
const isStopped = (pid: number): boolean => /^\d+ \(.*\) T /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));

/** Puts `transport` into the case's config file. */
async function prepareTransport(work: string, transport: string): Promise<void> {
  const file = join(work, 'paperboy.config.json');
  const config = JSON.parse(await import('node:fs/promises').then((fs) => fs.readFile(file, 'utf8')));
  writeFileSync(file, JSON.stringify({ ...config, transport }));
}

describe('what an operator sees and does', () => {
  it('the resume command printed after SIGTERM, run as printed, continues through the same SMTP server and store', async () => {
    const sink = await startSink({ delayMs: 15 });
    try {
      const { work, data, emails } = await world(200, { delivery: { concurrency: 4 } });
      // Everything that matters is given on the command line, from another directory.
      const elsewhere = join(work, 'elsewhere');
      mkdirSync(elsewhere);
      const args = [
        '--config',
        '../paperboy.config.json',
        '--data-dir',
        '../data',
        'send',
        '--date',
        '2026-08-21',
        '--transport',
        sink.url,
        '--source',
        source,
        '--base-url',
        'https://news.example.org/',
      ];
      const env = { PATH: process.env.PATH, HOME: process.env.HOME, ...secretEnv };
      const child = track(
        spawn(process.execPath, [join(projectRoot, 'bin', 'paperboy.js'), ...args], { cwd: elsewhere, env, stdio: ['ignore', 'pipe', 'pipe'] }),
      );
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      await waitFor(() => sink.received.length >= 30);
      child.kill('SIGTERM');
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(130);
      const command = /run `([^`]+)` to resume/.exec(stderr)?.[1];
      expect(command).toBeDefined();
      const resumed = await new Promise<CliResult>((resolve) => {
        const shell = track(spawn('sh', ['-c', command!], { cwd: elsewhere, env, stdio: ['ignore', 'pipe', 'pipe'] }));
        let out = '';
        let err = '';
        shell.stdout.on('data', (chunk) => (out += chunk));
        shell.stderr.on('data', (chunk) => (err += chunk));
        shell.on('exit', (exit) => resolve({ code: exit ?? 1, stdout: out, stderr: err }));
      });
      expect(resumed.stderr).toBe('');
      expect(resumed.code).toBe(0);
      await exactlyOnce(sink.received, emails);
      expect(ledgerStatuses(data)).toEqual({ sent: 200 });
      expect(existsSync(join(data, 'outbox'))).toBe(false);
    } finally {
      await sink.close();
    }
  });

  it('editions show groups failures by reason, --failures lists the readers, and --retry-failed sends the non-bounces again', async () => {
    let full = true;
    const sink = await startSink({
      rcpt: (address) =>
        address === 'reader1@example.org'
          ? { code: 550, text: '5.1.1 No such user' }
          : full && /reader[23]@/.test(address)
            ? { code: 552, text: '5.2.2 Mailbox full' }
            : undefined,
    });
    try {
      const { work, data } = await world(6, { transport: sink.url });
      const sent = await sendCli(work);
      expect(sent.code).toBe(0);
      expect(JSON.parse(sent.stdout).topFailure).toEqual({ kind: 'reject', reason: '552 5.2.2 Mailbox full', count: 2 });
      const shown = await runCli(['editions', 'show', '2026-08-21', '--json', '--failures'], { cwd: work });
      const edition = JSON.parse(shown.stdout);
      expect(edition.failureReasons).toEqual([
        { status: 'failed', kind: 'reject', reason: '552 5.2.2 Mailbox full', count: 2 },
        { status: 'failed', kind: 'bounce', reason: '550 5.1.1 No such user', count: 1 },
      ]);
      expect(edition.failures.map((row: { email: string; kind: string }) => [row.email, row.kind])).toEqual([
        ['reader1@example.org', 'bounce'],
        ['reader2@example.org', 'reject'],
        ['reader3@example.org', 'reject'],
      ]);
      const text = await runCli(['editions', 'show', '2026-08-21'], { cwd: work });
      expect(text.stdout).toMatch(/Failed, by reason:\n\s+2\s+reject\s+552 5\.2\.2 Mailbox full\n\s+1\s+bounce\s+550 5\.1\.1 No such user/);
      expect(text.stdout).toContain('--retry-failed');

      full = false;
      const retried = await sendCli(work, ['--retry-failed']);
      expect(retried.code).toBe(0);
      expect(JSON.parse(retried.stdout)).toMatchObject({ sent: 2, retriedFailed: 2, complete: true });
      expect(sink.received.filter((mail) => /reader[23]@/.test(mail.to[0]!))).toHaveLength(2);
      expect(sink.received.some((mail) => mail.to[0] === 'reader1@example.org')).toBe(false);
      expect(ledgerStatuses(data)).toEqual({ sent: 5, failed: 1 });
    } finally {
      await sink.close();
    }
  });
});

describe('transports checked before any work', () => {
  it('a module transport that cannot load fails before the edition is created', async () => {
    const { work } = await world(2, { transport: 'module:./missing-transport.js' });
    const result = await sendCli(work);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Cannot load the transport module');
    const editions = await runCli(['editions', 'list', '--json'], { cwd: work });
    expect(JSON.parse(editions.stdout)).toEqual([]);
  });

  it('--dry-run checks the transport too', async () => {
    const { work } = await world(1);
    const result = await runCli(['send', '--dry-run', '--transport', 'ftp://x'], { cwd: work });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('paperboy: Unknown transport "ftp://x". Use smtp://, smtps://, outbox:, json: or module:.');
  });

  it("a module transport's EAUTH stops the run whatever codes come with it, failing nobody", async () => {
    const { work, data } = await world(5, { transport: 'module:./auth-fails.js' });
    writeFileSync(
      join(work, 'auth-fails.js'),
      `export default { async send() { throw Object.assign(new Error('bad API key'), { code: 'EAUTH', responseCode: 535 }); } };\n`,
    );
    const result = await sendCli(work);
    expect(result.code).toBe(7);
    expect(result.stderr).toContain('authentication failed');
    expect(ledgerStatuses(data).failed ?? 0).toBe(0);
    expect(statusesOfSubscribers(data)).toEqual({ active: 5 });
  });

  it('two stores never share Message-IDs or outbox files, and the default outbox lives in the data directory', async () => {
    const work = join(dir.path, 'two-stores');
    mkdirSync(work);
    const ids: string[] = [];
    for (const store of ['one', 'two']) {
      expect((await runCli(['--data-dir', store, 'subscribers', 'add', 'ada@example.org', '--confirmed'], { cwd: work })).code).toBe(0);
      expect((await runCli(['--data-dir', store, 'send', '--date', '2026-08-21'], { cwd: work, env: secretEnv })).code).toBe(0);
      const folder = join(work, store, 'outbox', '2026-08-21-default');
      const files = (await import('node:fs')).readdirSync(folder);
      expect(files).toHaveLength(1);
      ids.push((await simpleParser((await import('node:fs')).readFileSync(join(folder, files[0]!)))).messageId!);
    }
    expect(ids[0]).toMatch(/^<2026-08-21\.1\.1\.[0-9a-f]{10}\.[0-9a-f]{20}@paperboy\.localhost>$/);
    expect(ids[1]).not.toBe(ids[0]);
    expect(existsSync(join(work, 'outbox'))).toBe(false);
  });
});
