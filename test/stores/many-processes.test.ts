/**
 * Past one machine: real `paperboy send` and `paperboy serve` processes sharing one PostgreSQL
 * server and a real SMTP sink.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dsn } from '../bounces/mails.js';
import { type CliResult, fixture, projectRoot, runCli, tempDir } from '../helpers/cli.js';
import { freePort } from '../helpers/ports.js';
import { freshDatabase, hasPostgres } from '../helpers/postgres.js';
import { track } from '../helpers/processes.js';
import { available, canRenameHost, isRoot } from '../helpers/requirements.js';
import { firstOutboxMail, waitFor } from '../helpers/send.js';
import { type ReceivedMail, startSink } from '../helpers/smtp-sink.js';

const dir = tempDir('paperboy-many-');
const secret = 'a-shared-secret-for-every-machine';
const source = `file:${fixture('2026-08-21')}`;
const databases: { drop(): Promise<void> }[] = [];
afterAll(async () => {
  for (const database of databases) await database.drop();
  dir.remove();
});

async function database(): Promise<string> {
  const fresh = await freshDatabase();
  databases.push(fresh);
  return fresh.url;
}

/** A machine: its own folder and config, on the shared database. */
function machine(name: string, url: string, config: Record<string, unknown> = {}): string {
  const folder = join(dir.path, name);
  mkdirSync(folder, { recursive: true });
  const newsletter = { baseUrl: 'https://news.example.org', from: 'Paperboy <news@example.org>' };
  writeFileSync(join(folder, 'paperboy.config.json'), JSON.stringify({ dataDir: 'data', database: url, source, newsletter, ...config }));
  return folder;
}

const env = { PAPERBOY_SECRET: secret };
const cli = (folder: string, args: string[]) => runCli(args, { cwd: folder, env });

/**
 * `paperboy ARGS` as a child process; with `host`, in a UTS namespace of its own whose host name
 * is `host` (unshare; as any other user than root in a user namespace too): another machine, as
 * far as the run's owner id goes.
 */
function spawnPaperboy(folder: string, args: string[], host?: string): { child: ChildProcess; done: Promise<CliResult> } {
  const command = [process.execPath, join(projectRoot, 'bin', 'paperboy.js'), ...args];
  const [program, ...argv] = host ? ['unshare', ...(isRoot ? [] : ['-r']), '-u', 'sh', '-c', `hostname ${host} && exec "$@"`, 'sh', ...command] : command;
  const child = track(
    spawn(program!, argv, {
      cwd: folder,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code: code ?? (signal === 'SIGKILL' ? 137 : 1), stdout, stderr })),
  );
  return { child, done };
}

async function importReaders(folder: string, count: number): Promise<string[]> {
  const emails = Array.from({ length: count }, (_, i) => `reader${i}@example.org`);
  writeFileSync(join(folder, 'people.csv'), ['email', ...emails].join('\n'));
  const result = await cli(folder, ['subscribers', 'import', 'people.csv', '--json']);
  expect(result.stderr).toBe('');
  expect(JSON.parse(result.stdout)).toMatchObject({ added: count });
  return emails;
}

async function messageIds(mails: readonly ReceivedMail[]): Promise<Map<string, string[]>> {
  const byRecipient = new Map<string, string[]>();
  for (const mail of mails) {
    const id = (await simpleParser(mail.raw)).messageId!;
    byRecipient.set(mail.to[0]!, [...(byRecipient.get(mail.to[0]!) ?? []), id]);
  }
  return byRecipient;
}

async function ledgerStatuses(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ status: string; n: string }>('SELECT status, count(*) AS n FROM deliveries GROUP BY status');
    return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
  } finally {
    await client.end();
  }
}

describe.skipIf(!hasPostgres)('several senders on one PostgreSQL edition', () => {
  it('three processes started together deliver each of 3,000 readers exactly once, each sending a share', async () => {
    const sink = await startSink({ delayMs: 1 });
    try {
      const url = await database();
      const folders = ['one', 'two', 'three'].map((name) =>
        machine(`senders-${name}`, url, { transport: sink.url, delivery: { concurrency: 10, maxConnections: 3 } }),
      );
      const emails = await importReaders(folders[0]!, 3000);
      const runs = folders.map((folder) => spawnPaperboy(folder, ['send', '--date', '2026-08-21', '--json']));
      const results = await Promise.all(runs.map((run) => run.done));
      for (const result of results) expect(result.code, result.stderr).toBe(0);
      const summaries = results.map((result) => JSON.parse(result.stdout) as { sent: number; editionId: number });
      expect(new Set(summaries.map((summary) => summary.editionId)).size).toBe(1); // one edition, joined by all
      for (const summary of summaries) expect(summary.sent).toBeGreaterThan(0);
      expect(summaries.reduce((sum, summary) => sum + summary.sent, 0)).toBe(3000);
      const ids = await messageIds(sink.received);
      expect([...ids.keys()].sort()).toEqual([...emails].sort());
      expect([...ids.values()].every((list) => list.length === 1)).toBe(true);
      expect(await ledgerStatuses(url)).toEqual({ sent: 3000 });
    } finally {
      await sink.close();
    }
  });

  it.skipIf(!available(canRenameHost, 'unshare cannot give a process another host name (needs root, or user namespaces)'))(
    'one of three senders killed under another host name: the others take over its rows when its lease runs out and finish the edition',
    async () => {
      const concurrency = 6;
      const sink = await startSink({ delayMs: 3 });
      try {
        const url = await database();
        const config = { transport: sink.url, delivery: { concurrency, maxConnections: 2, leaseSeconds: 3 } };
        const folders = ['one', 'two', 'three'].map((name) => machine(`kill-${name}`, url, config));
        const emails = await importReaders(folders[0]!, 1500);
        // The first one runs on "another machine": its death is known only when its lease runs out.
        const runs = folders.map((folder, i) => spawnPaperboy(folder, ['send', '--date', '2026-08-21', '--json'], i === 0 ? 'other-machine' : undefined));
        await waitFor(() => sink.received.length >= 300, 60_000);
        runs[0]!.child.kill('SIGKILL');
        const results = await Promise.all(runs.map((run) => run.done));
        expect(results[0]!.code).toBe(137);
        for (const result of results.slice(1)) expect(result.code, result.stderr).toBe(0);
        // No rerun: after the survivors exit, nothing is left unsent.
        expect(await ledgerStatuses(url)).toEqual({ sent: 1500 });
        const shown = await cli(folders[1]!, ['editions', 'show', '2026-08-21', '--json']);
        expect(JSON.parse(shown.stdout).counts).toMatchObject({ pending: 0, sending: 0, retry: 0, sent: 1500 });
        const ids = await messageIds(sink.received);
        expect([...ids.keys()].sort()).toEqual([...emails].sort());
        const duplicates = [...ids.values()].filter((list) => list.length > 1);
        expect(duplicates.length).toBeLessThanOrEqual(concurrency);
        for (const list of duplicates) expect(new Set(list).size).toBe(1);
        // Honest summaries: what may have gone twice is counted, and exactly one sender created the edition.
        const summaries = results.slice(1).map((result) => JSON.parse(result.stdout) as { mayHaveGoneTwice: number; recovered: number });
        expect(summaries.reduce((sum, summary) => sum + summary.mayHaveGoneTwice, 0)).toBeGreaterThanOrEqual(duplicates.length);
      } finally {
        await sink.close();
      }
    },
  );

  it('only the sender that created the edition says so, and the rate limit holds for all of them together from the first second', async () => {
    const sink = await startSink();
    try {
      const url = await database();
      const rate = 40;
      const folders = ['one', 'two', 'three'].map((name) =>
        machine(`paced-${name}`, url, { transport: sink.url, delivery: { concurrency: 4, rateLimit: rate } }),
      );
      await importReaders(folders[0]!, 120);
      const runs = folders.map((folder) => spawnPaperboy(folder, ['send', '--date', '2026-08-21']));
      const results = await Promise.all(runs.map((run) => run.done));
      for (const result of results) expect(result.code, result.stderr).toBe(0);
      expect(results.filter((result) => result.stdout.includes('Created the 2026-08-21 edition')).length).toBe(1);
      expect(sink.received).toHaveLength(120);
      // 120 messages at 40 a second for the edition: ~3 s from the first to the last, whoever sends them (three senders
      // each believing itself alone sent them in ~1 s). A lower bound: a slow machine only takes longer.
      const times = sink.received.map((mail) => mail.at).sort((a, b) => a - b);
      expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(((120 - 1) / rate) * 1000 * 0.9);
    } finally {
      await sink.close();
    }
  });
});

describe.skipIf(!hasPostgres)('several web servers on one PostgreSQL', () => {
  it('a reader subscribes through one server and confirms through another', async () => {
    const url = await database();
    const servers: { folder: string; port: number; server: ReturnType<typeof spawnPaperboy>; output: () => string }[] = [];
    try {
      for (const name of ['web-a', 'web-b']) {
        const port = await freePort();
        const folder = machine(name, url, { newsletter: { baseUrl: `http://127.0.0.1:${port}`, from: 'Paperboy <news@example.org>' } });
        const server = spawnPaperboy(folder, ['serve', '--port', String(port)]);
        let output = '';
        server.child.stdout!.on('data', (chunk) => (output += chunk));
        servers.push({ folder, port, server, output: () => output });
      }
      for (const { output } of servers) await waitFor(() => output().includes('serving on'), 60_000);
      const [a, b] = servers as [(typeof servers)[0], (typeof servers)[0]];
      const form = (body: string) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
      expect((await fetch(`http://127.0.0.1:${a.port}/subscribe`, form('email=pat%40example.org'))).status).toBe(200);
      const outbox = join(a.folder, 'data', 'outbox');
      const token = /\/confirm\?token=([A-Za-z0-9._-]+)/.exec(await firstOutboxMail(outbox))![1]!;
      // The same address through the other server: the per-address limit is shared, so no second mail.
      expect((await fetch(`http://127.0.0.1:${b.port}/subscribe`, form('email=PAT%40example.org'))).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${b.port}/confirm`, form(`token=${token}`))).status).toBe(200);
      const shown = await cli(a.folder, ['subscribers', 'show', 'pat@example.org', '--json']);
      expect(JSON.parse(shown.stdout)).toMatchObject({ status: 'active' });
      await new Promise((resolve) => setTimeout(resolve, 300));
      let mails = 0;
      try {
        mails = readdirSync(join(b.folder, 'data', 'outbox'), { recursive: true }).filter((name) => String(name).endsWith('.eml')).length;
      } catch {
        mails = 0;
      }
      expect(mails).toBe(0);
    } finally {
      for (const { server } of servers) server.child.kill('SIGTERM');
      await Promise.all(servers.map(({ server }) => server.done));
    }
  });
});

describe.skipIf(!hasPostgres)('moving up: db copy', () => {
  let url: string;
  beforeAll(async () => {
    url = await database();
  });

  it('copies a SQLite store with editions and a ledger into an empty PostgreSQL, counts equal; a send on the copy sends nothing twice', async () => {
    const folder = join(dir.path, 'copy');
    mkdirSync(folder);
    const sqlite = (args: string[]) => runCli(['--data-dir', 'data', ...args], { cwd: folder, env });
    for (const email of ['a@example.org', 'b@example.org', 'c@example.org']) expect((await sqlite(['subscribers', 'add', email, '--confirmed'])).code).toBe(0);
    expect((await sqlite(['send', '--date', '2026-08-21', '--source', source])).code).toBe(0);
    expect((await sqlite(['subscribers', 'add', 'late@example.org', '--confirmed'])).code).toBe(0);
    expect((await sqlite(['subscribers', 'add', 'weekly@example.org', '--confirmed', '--frequency', 'weekly', '--alert', 'agent'])).code).toBe(0);
    const report550 = dsn({ deliveryStatus: 'Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; c@example.org\nAction: failed\nStatus: 5.1.1' });
    expect((await runCli(['--data-dir', 'data', 'bounces', 'ingest', '-'], { cwd: folder, env, input: report550 })).code).toBe(0);
    expect((await sqlite(['subscribers', 'unsubscribe', 'b@example.org'])).code).toBe(0);
    const before = JSON.parse((await sqlite(['subscribers', 'show', 'b@example.org', '--json'])).stdout);
    const weeklyBefore = JSON.parse((await sqlite(['subscribers', 'show', 'weekly@example.org', '--json'])).stdout);
    const eventsBefore = JSON.parse((await sqlite(['bounces', 'list', '--json'])).stdout);

    const copied = await sqlite(['db', 'copy', '--to', url, '--json']);
    expect(copied.stderr).toBe('');
    expect(copied.code).toBe(0);
    const report = JSON.parse(copied.stdout) as { tables: { name: string; rows: number }[] };
    expect(Object.fromEntries(report.tables.map((table) => [table.name, table.rows]))).toMatchObject({
      lists: 1,
      subscribers: 5,
      list_members: 5,
      editions: 1,
      deliveries: 3,
      bounce_events: 1,
      papers: 17, // every paper of the day the send fetched
    });
    expect((await sqlite(['db', 'copy', '--to', url])).stderr).toContain('db copy only fills an empty database');
    // The readers' history and daily counts come as they are: the copy's triggers do not count the copied readers again.
    const dashboard = async (flags: Record<string, unknown>) => {
      const { loadConfig } = await import('../../src/config/index.js');
      const { withStores } = await import('../../src/stores/index.js');
      return withStores(loadConfig({ env: {}, flags: { dataDir: join(folder, 'data'), ...flags } }), async ({ adminQueries }) => ({
        overview: await adminQueries.overview({ days: 3, editions: 5, now: new Date() }),
        left: await adminQueries.reader('b@example.org'),
      }));
    };
    const onSqlite = await dashboard({});
    expect(onSqlite.overview.now).toMatchObject({ active: 4, unsubscribed: 1 });
    expect(onSqlite.left!.history.map((change) => change.status)).toEqual(['active', 'unsubscribed']);
    expect(await dashboard({ database: url })).toEqual(onSqlite);

    const onCopy = (args: string[]) =>
      runCli(['--data-dir', 'data', '--database-url', url, ...args], { cwd: folder, env: { ...env, PAPERBOY_FROM: 'News <news@example.org>' } });
    expect(JSON.parse((await onCopy(['subscribers', 'show', 'b@example.org', '--json'])).stdout)).toEqual(before); // same id, so links still work
    expect(JSON.parse((await onCopy(['subscribers', 'show', 'weekly@example.org', '--json'])).stdout)).toEqual(weeklyBefore); // frequency and alerts too
    expect(JSON.parse((await onCopy(['bounces', 'list', '--json'])).stdout)).toEqual(eventsBefore);
    // The copy's search index is PostgreSQL's own, built from the copied papers: the same papers come back.
    const search = async (run: typeof sqlite) =>
      JSON.parse((await run(['papers', 'search', 'agent', '--json'])).stdout)
        .papers.map((paper: { id: string }) => paper.id)
        .sort();
    expect(await search(onCopy)).toEqual(await search(sqlite));
    expect((await search(onCopy)).length).toBeGreaterThan(0);
    const sink = await startSink();
    try {
      const send = await onCopy([
        'send',
        '--date',
        '2026-08-21',
        '--source',
        source,
        '--transport',
        sink.url,
        '--base-url',
        'https://news.example.org',
        '--json',
      ]);
      expect(send.stderr).toBe('');
      expect(JSON.parse(send.stdout)).toMatchObject({ sent: 1, queued: 1, complete: true });
      expect(sink.received.map((mail) => mail.to[0])).toEqual(['late@example.org']);
    } finally {
      await sink.close();
    }
  });
});

describe.skipIf(!hasPostgres)('several schedulers on one PostgreSQL', () => {
  it('two ticks of two machines at the same time send the edition once between them: one creates it, both may send', async () => {
    const { loadConfig } = await import('../../src/config/index.js');
    const { runTick } = await import('../../src/schedule/index.js');
    const { pino } = await import('pino');
    const { collector } = await import('../helpers/streams.js');
    const url = await database();
    const sink = await startSink({ delayMs: 2 });
    try {
      const folder = machine('schedulers', url);
      const emails = await importReaders(folder, 400);
      const machines = ['sched-a', 'sched-b'].map((name) =>
        loadConfig({
          env: {},
          flags: {
            dataDir: join(dir.path, name),
            database: url,
            source,
            transport: sink.url,
            'newsletter.baseUrl': 'https://news.example.org',
            'newsletter.from': 'Paperboy <news@example.org>',
            'delivery.concurrency': 5,
            'delivery.maxConnections': 2,
          },
        }),
      );
      const previous = process.env.PAPERBOY_SECRET;
      process.env.PAPERBOY_SECRET = secret;
      const logs = machines.map(() => collector());
      try {
        const planned = new Date('2026-08-21T07:00:00Z'); // the tick of the fixture's day, on time
        await Promise.all(
          machines.map((config, index) => runTick({ config, logger: pino(logs[index]!.stream), now: () => planned }, planned, new AbortController().signal)),
        );
      } finally {
        if (previous === undefined) delete process.env.PAPERBOY_SECRET;
        else process.env.PAPERBOY_SECRET = previous;
      }
      const sent = logs.map((log) => JSON.parse(log.text().trim().split('\n').at(-1)!) as { sent: number; msg: string });
      for (const line of sent) expect(line.msg).toMatch(/^(edition delivered|our share delivered; the other senders are finishing the edition)$/);
      expect(sent.map((line) => line.msg)).toContain('edition delivered');
      expect(sent[0]!.sent + sent[1]!.sent).toBe(400);
      const ids = await messageIds(sink.received);
      expect([...ids.keys()].sort()).toEqual([...emails].sort());
      expect([...ids.values()].every((list) => list.length === 1)).toBe(true);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        expect((await client.query('SELECT count(*)::int AS n FROM editions')).rows[0]).toEqual({ n: 1 });
      } finally {
        await client.end();
      }
    } finally {
      await sink.close();
    }
  });
});

describe.skipIf(!hasPostgres)('a database that drops every connection, as a restart does', () => {
  /** Ends every other session on the database, again and again for `ms` (the sessions of a restarting server). */
  async function dropConnections(url: string, ms: number): Promise<void> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (const until = Date.now() + ms; Date.now() < until; ) {
        // Only our own clients' sessions: an autovacuum worker on the database is a superuser's, which we may not end.
        await client.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND usename = current_user",
        );
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await client.end();
    }
  }

  it('a sender never crashes on it: it finishes, or stops in one line (exit 6) and a rerun finishes', async () => {
    const sink = await startSink({ delayMs: 5 });
    try {
      const url = await database();
      const folder = machine('restart-sender', url, { transport: sink.url, delivery: { concurrency: 4, maxConnections: 2 } });
      const emails = await importReaders(folder, 400);
      const run = spawnPaperboy(folder, ['send', '--date', '2026-08-21']);
      await waitFor(() => sink.received.length >= 40, 60_000);
      await dropConnections(url, 1000);
      const result = await run.done;
      expect([0, 6]).toContain(result.code);
      expect(result.stderr).not.toMatch(/a bug|\n\s+at |Unhandled/);
      if (result.code === 6) expect(result.stderr.trim().split('\n')).toHaveLength(1);
      const rerun = await cli(folder, ['send', '--date', '2026-08-21', '--json']);
      expect(rerun.code, rerun.stderr).toBe(0);
      const ids = await messageIds(sink.received);
      expect([...ids.keys()].sort()).toEqual([...emails].sort());
    } finally {
      await sink.close();
    }
  });

  it('a schedule tick survives it and logs a STORE error, never a bug', async () => {
    const { loadConfig } = await import('../../src/config/index.js');
    const { runTick } = await import('../../src/schedule/index.js');
    const { pino } = await import('pino');
    const { collector } = await import('../helpers/streams.js');
    const url = await database();
    const sink = await startSink({ delayMs: 5 });
    const previous = process.env.PAPERBOY_SECRET;
    process.env.PAPERBOY_SECRET = secret;
    try {
      const folder = machine('restart-schedule', url);
      await importReaders(folder, 400);
      const config = loadConfig({
        env: {},
        flags: {
          dataDir: join(dir.path, 'restart-schedule-data'),
          database: url,
          source,
          transport: sink.url,
          'newsletter.baseUrl': 'https://news.example.org',
          'newsletter.from': 'Paperboy <news@example.org>',
          'delivery.concurrency': 4,
          'delivery.maxConnections': 2,
        },
      });
      const log = collector();
      const planned = new Date('2026-08-21T07:00:00Z'); // the tick of the fixture's day, on time
      const tick = runTick({ config, logger: pino(log.stream), now: () => planned }, planned, new AbortController().signal);
      await waitFor(() => sink.received.length >= 40, 60_000);
      await dropConnections(url, 1000);
      await tick; // it ends, it does not take the process down
      const lines = log
        .text()
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { code?: string; msg: string });
      expect(lines.filter((line) => line.code === 'BUG')).toEqual([]);
    } finally {
      if (previous === undefined) delete process.env.PAPERBOY_SECRET;
      else process.env.PAPERBOY_SECRET = previous;
      await sink.close();
    }
  });
});
