/**
 * Several relays (delivery.relays) through `paperboy send`, each relay a real SMTP server on
 * port 0: shares by weight, a relay that dies mid-run, domain routing, a relay that throttles,
 * and the relay each row records, counted by `editions show` on SQLite and PostgreSQL.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/stores/sqlite/index.js';
import { fixture, runCli, tempDir } from '../helpers/cli.js';
import { freshDatabase, hasPostgres } from '../helpers/postgres.js';
import { prepareSend, sendCli } from '../helpers/send.js';
import { type ReceivedMail, type Sink, type SinkBehaviour, startSink } from '../helpers/smtp-sink.js';

const root = tempDir('paperboy-relays-');
afterAll(root.remove);
let cases = 0;

const readers = (count: number, domain = 'example.org') => Array.from({ length: count }, (_, i) => `reader${i}@${domain}`);

/** Two relays A and B, each a sink, for the length of `body`. */
async function withRelays(behaviours: [SinkBehaviour, SinkBehaviour], body: (a: Sink, b: Sink) => Promise<void>): Promise<void> {
  const a = await startSink(behaviours[0]);
  const b = await startSink(behaviours[1]);
  try {
    await body(a, b);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

/** A folder with `emails` imported and a config sending through `relays`. */
async function prepare(emails: string[], relays: object[], more: Record<string, unknown> = {}): Promise<string> {
  const dir = join(root.path, `case-${++cases}`);
  mkdirSync(dir);
  const { delivery, ...rest } = more as { delivery?: object };
  await prepareSend(dir, emails, { source: `file:${fixture('2026-08-21')}`, delivery: { concurrency: 8, retryBaseMs: 100, relays, ...delivery }, ...rest });
  return dir;
}

const recipients = (mails: readonly ReceivedMail[]) => mails.map((mail) => mail.to[0]!);

/** `paperboy send --json` that must end well: its summary. */
async function sendAll(dir: string) {
  const result = await sendCli(dir);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}

/** Within 10% of the share its weight gives it. */
function expectShare(taken: number, total: number, share: number): void {
  expect(taken / total).toBeGreaterThanOrEqual(share * 0.9);
  expect(taken / total).toBeLessThanOrEqual(share * 1.1);
}
const sorted = (values: readonly string[]) => [...values].sort();

/** Rows by the relay the ledger recorded, from the SQLite file. */
function ledgerRelays(dir: string): Record<string, number> {
  const db = openDatabase(join(dir, 'data'));
  try {
    const rows = db.prepare(`SELECT coalesce(relay, '-') AS relay, count(*) AS n FROM deliveries WHERE status = 'sent' GROUP BY 1`).all() as {
      relay: string;
      n: number;
    }[];
    return Object.fromEntries(rows.map((row) => [row.relay, row.n]));
  } finally {
    db.close();
  }
}

describe('several relays', () => {
  it('spreads an edition by weight (3:1), every reader once, each row recording its relay, counted per relay', async () => {
    await withRelays([{}, {}], async (a, b) => {
      const emails = readers(400);
      const dir = await prepare(emails, [
        { url: a.url, name: 'A', weight: 3 },
        { url: b.url, name: 'B', weight: 1 },
      ]);
      const summary = await sendAll(dir);
      expect(sorted([...recipients(a.received), ...recipients(b.received)])).toEqual(sorted(emails));
      expectShare(a.received.length, emails.length, 0.75);
      expectShare(b.received.length, emails.length, 0.25);
      expect(summary.relays).toEqual([
        { name: 'A', sent: a.received.length, failed: 0 },
        { name: 'B', sent: b.received.length, failed: 0 },
      ]);
      expect(ledgerRelays(dir)).toEqual({ A: a.received.length, B: b.received.length });
    });
  });

  it('moves the share of a relay that dies mid-run to the other: every reader delivered, exit 0, the dead relay named', async () => {
    let taken = 0;
    let b: Sink | undefined;
    // B dies as its 20th message ends (its reply never leaves): the moment comes from B's own count, not from a clock.
    await withRelays([{ delayMs: 2 }, { delayMs: 2, data: () => void (++taken === 20 && b!.kill()) }], async (a, sinkB) => {
      b = sinkB;
      const emails = readers(300);
      const dir = await prepare(emails, [
        { url: a.url, name: 'A', maxConnections: 2 },
        { url: sinkB.url, name: 'B', maxConnections: 2 },
      ]);
      const summary = await sendAll(dir);
      expect(summary).toMatchObject({ complete: true, failed: 0 });
      const got = [...recipients(a.received), ...recipients(sinkB.received)];
      expect(sorted([...new Set(got)])).toEqual(sorted(emails));
      // At most the messages B had in flight as it died may have reached it before their reply was lost.
      expect(got.length - emails.length).toBeLessThanOrEqual(2);
      // B stops as its 20th message's data ends; on its other connection one more message may have
      // ended in the same turn of the event loop (a busy machine lets both land before the kill).
      expect(sinkB.received.length).toBeLessThanOrEqual(20 + 1);
      const relayB = summary.relays.find((relay: { name: string }) => relay.name === 'B');
      expect(relayB.down).toMatchObject({ upAgain: false, shareWentTo: ['A'] });
      expect(relayB.down.reason).toMatch(new RegExp(`127\\.0\\.0\\.1:${sinkB.port}`));

      const text = await runCli(['editions', 'show', '2026-08-21'], { cwd: dir });
      expect(text.stdout).toMatch(/^ {2}Per relay: A \d+ sent, 0 failed; B \d+ sent, 0 failed$/m);
    });
  });

  it('says in the text summary which relay went down, why, and where its share went', async () => {
    const dead = await startSink();
    dead.kill();
    await withRelays([{}, {}], async (a) => {
      const dir = await prepare(readers(30), [
        { url: a.url, name: 'A' },
        { url: dead.url, name: 'B' },
      ]);
      const result = await runCli(['send', '--date', '2026-08-21'], { cwd: dir, env: { PAPERBOY_SECRET: 'a-test-secret-of-enough-length' } });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('  Relays: A 30 sent, 0 failed; B 0 sent, 0 failed.');
      expect(result.stdout).toContain(`  Relay B down: connection refused by 127.0.0.1:${dead.port}; its share went to A.`);
      expect(a.received.length).toBe(30);
    });
    await dead.close();
  });

  it('sends the readers of a domain a relay lists only through that relay', async () => {
    await withRelays([{}, {}], async (a, b) => {
      const gmail = readers(40, 'gmail.com');
      const others = readers(60, 'example.org');
      const dir = await prepare(
        [...gmail, ...others],
        [
          { url: a.url, name: 'A', domains: ['Gmail.com', 'googlemail.com'] },
          { url: b.url, name: 'B', weight: 5 },
        ],
      );
      await sendAll(dir);
      expect(sorted(recipients(a.received))).toEqual(sorted(gmail));
      expect(sorted(recipients(b.received))).toEqual(sorted(others));
    });
  });

  it('gives a relay that throttles (421 4.7.0) less than its share, every reader still delivered exactly once', async () => {
    let offered = 0;
    const throttle: SinkBehaviour = { data: () => (++offered % 3 === 0 ? { code: 421, text: '4.7.0 Too many messages, slow down' } : undefined) };
    await withRelays([{}, throttle], async (a, b) => {
      const emails = readers(200);
      const dir = await prepare(emails, [
        { url: a.url, name: 'A', maxConnections: 2 },
        { url: b.url, name: 'B', maxConnections: 2 },
      ]);
      expect(await sendAll(dir)).toMatchObject({ complete: true, failed: 0 });
      expect(offered).toBeGreaterThanOrEqual(3); // B did throttle
      expect(sorted([...recipients(a.received), ...recipients(b.received)])).toEqual(sorted(emails));
      // Refusing every third message alone would leave B 40% of the edition (half the offers, less a third);
      // the weight it loses to each 421 takes it well below that.
      expect(b.received.length / emails.length).toBeLessThan(0.3);
    });
  });

  it.skipIf(!hasPostgres)('records the relay of each row on PostgreSQL too, and editions show counts per relay (text and --json)', async () => {
    const database = await freshDatabase();
    try {
      await withRelays([{}, {}], async (a, b) => {
        const dir = await prepare(readers(40), [{ url: a.url, name: 'A' }, { url: b.url }], { database: database.url });
        await sendAll(dir);
        const nameOfB = `127.0.0.1:${b.port}`;
        const shown = JSON.parse((await runCli(['editions', 'show', '2026-08-21', '--json'], { cwd: dir })).stdout);
        expect(shown.relays).toEqual([
          { relay: nameOfB, sent: b.received.length, failed: 0 },
          { relay: 'A', sent: a.received.length, failed: 0 },
        ]);
        expect(a.received.length + b.received.length).toBe(40);
        const text = await runCli(['editions', 'show', '2026-08-21'], { cwd: dir });
        expect(text.stdout).toContain(`  Per relay: ${nameOfB} ${b.received.length} sent, 0 failed; A ${a.received.length} sent, 0 failed`);
      });
    } finally {
      await database.drop();
    }
  });

  it('keeps the output of one transport as it was: no relay section, no relay recorded', async () => {
    await withRelays([{}, {}], async (a) => {
      const dir = await prepare(readers(10), [], { transport: a.url });
      expect((await sendAll(dir)).relays).toBeUndefined();
      const shown = await runCli(['editions', 'show', '2026-08-21', '--json'], { cwd: dir });
      expect(JSON.parse(shown.stdout).relays).toBeUndefined();
      expect((await runCli(['editions', 'show', '2026-08-21'], { cwd: dir })).stdout).not.toContain('Per relay');
      expect(ledgerRelays(dir)).toEqual({ '-': 10 });
    });
  });
});
