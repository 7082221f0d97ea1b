import { join } from 'node:path';
import { addDays, format, parseISO } from 'date-fns';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type OutgoingMessage, type SendProgress, senderDomain } from '../../src/delivery/index.js';
import type { Edition } from '../../src/editions/index.js';
import { PaperboyError } from '../../src/errors.js';
import { dailyAudience } from '../../src/ledger/index.js';
import { createOrResumeEdition } from '../../src/pipeline/index.js';
import { MessageIdTokens } from '../../src/subscribers/index.js';
import {
  addPeople,
  addReaders,
  type DeliveryWorld,
  ledgerRows,
  openWorld,
  recordingTransport,
  sampleEdition,
  sendWith,
  smtpError,
} from '../helpers/delivery.js';
import { tempDir } from '../helpers/files.js';

const tmp = tempDir('paperboy-sender-');
afterAll(() => tmp.remove());

let worlds: DeliveryWorld[] = [];
let run = 0;
afterEach(() => {
  for (const world of worlds) world.close();
  worlds = [];
});

/** A fresh data directory with these config flags (key paths). */
function freshWorld(flags: Record<string, unknown> = {}): DeliveryWorld {
  const world = openWorld(join(tmp.path, `world-${++run}`), flags);
  worlds.push(world);
  return world;
}

const recipients = (messages: readonly OutgoingMessage[]) => messages.map((message) => message.envelope.to);
const statusOf = async (world: DeliveryWorld, id: number) => (await world.subscribers.findById(id))!.status;
const rowOf = (world: DeliveryWorld, edition: Edition, id: number) => ledgerRows(world.db, edition.id).find((row) => row.subscriberId === id)!;

/** A promise with its resolve, to hold a send open until the test lets it go. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('sendEdition', () => {
  it('sends every active subscriber exactly one message, records each sent and completes the edition', async () => {
    const world = freshWorld({ 'delivery.concurrency': 4, 'newsletter.from': 'Paperboy <news@example.org>' });
    const readers = await addReaders(world, 7);
    await addPeople(world, [
      { email: 'pending@example.com', status: 'pending' },
      { email: 'left@example.com', status: 'unsubscribed' },
    ]);
    const edition = await sampleEdition(world);
    const { transport, sent } = recordingTransport();
    const progress: SendProgress[] = [];
    const summary = await sendWith(world, edition, transport, { onProgress: (p) => progress.push({ ...p }) });

    expect(summary).toMatchObject({ queued: 7, recovered: 0, sent: 7, failed: 0, bounced: 0, skipped: 0, retried: 0, complete: true, interrupted: false });
    expect(summary.paused).toBeUndefined();
    expect(summary.counts).toEqual({ pending: 0, sending: 0, sent: 7, retry: 0, failed: 0, skipped: 0 });
    expect(sent.map((message) => message.subscriberId).sort((a, b) => a - b)).toEqual(readers);
    expect(new Set(recipients(sent)).size).toBe(7);
    expect(recipients(sent)).not.toContain('pending@example.com');
    expect(recipients(sent)).not.toContain('left@example.com');
    const rows = ledgerRows(world.db, edition.id);
    expect(rows.map((row) => [row.subscriberId, row.status, row.attempts])).toEqual(readers.map((id) => [id, 'sent', 1]));
    for (const message of sent) {
      expect(message.messageId).toMatch(new RegExp(`^<${edition.day}\\.${edition.id}\\.${message.subscriberId}\\.[0-9a-f]{10}\\.[0-9a-f]{20}@example\\.org>$`));
      expect(message.envelope.from).toBe('news@example.org');
      expect(message.edition).toEqual({ id: edition.id, day: edition.day, list: 'default' });
    }
    expect((await world.editions.findById(edition.id))!.completedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await world.subscribers.findById(readers[0]!))!.lastSentAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(progress.at(-1)).toMatchObject({ sent: 7, failed: 0, total: 7 });
  });

  it('sends nothing on a second run, and only the newcomer after someone subscribes', async () => {
    const world = freshWorld();
    await addReaders(world, 4);
    const edition = await sampleEdition(world);
    const { transport, sent } = recordingTransport();
    await sendWith(world, edition, transport);
    expect(sent).toHaveLength(4);

    const again = await sendWith(world, edition, transport);
    expect(again).toMatchObject({ queued: 0, sent: 0, complete: true });
    expect(sent).toHaveLength(4);

    const [newcomer] = await addPeople(world, [{ email: 'late@example.com' }]);
    const third = await sendWith(world, edition, transport);
    expect(third).toMatchObject({ queued: 1, sent: 1, complete: true });
    expect(sent.slice(4).map((message) => message.subscriberId)).toEqual([newcomer]);
  });

  it('retries a 451 within the run: the address ends sent on its third attempt, with one Message-ID', async () => {
    const world = freshWorld({ 'delivery.retryBaseMs': 5 });
    const [first, busy, last] = await addReaders(world, 3);
    const edition = await sampleEdition(world);
    let refusals = 0;
    const { transport, sent, offered } = recordingTransport((message) => {
      if (message.subscriberId === busy && refusals < 2) {
        refusals++;
        throw smtpError(451, 'RCPT TO');
      }
    });
    const summary = await sendWith(world, edition, transport);

    expect(summary).toMatchObject({ sent: 3, retried: 2, failed: 0, complete: true });
    expect(rowOf(world, edition, busy!)).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
    expect(rowOf(world, edition, first!)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(rowOf(world, edition, last!)).toMatchObject({ status: 'sent', attempts: 1 });
    const tries = offered.filter((message) => message.subscriberId === busy);
    expect(tries).toHaveLength(3);
    expect(new Set(tries.map((message) => message.messageId)).size).toBe(1);
    expect(sent.filter((message) => message.subscriberId === busy)).toHaveLength(1);
  });

  it.each([
    ['bounce', 'bounced'],
    ['keep', 'active'],
  ] as const)('fails a 550 for RCPT TO at once; with bouncePolicy %s the subscriber is %s', async (policy, status) => {
    const world = freshWorld({ 'delivery.bouncePolicy': policy, 'delivery.retryBaseMs': 5 });
    const [dead, alive] = await addReaders(world, 2);
    const edition = await sampleEdition(world);
    const { transport, offered } = recordingTransport((message) => {
      if (message.subscriberId === dead) throw smtpError(550, 'RCPT TO');
    });
    const summary = await sendWith(world, edition, transport);

    expect(summary).toMatchObject({ sent: 1, failed: 1, bounced: policy === 'bounce' ? 1 : 0, retried: 0, complete: true });
    expect(rowOf(world, edition, dead!)).toMatchObject({ status: 'failed', attempts: 1, lastError: '550 refused by the test' });
    expect(rowOf(world, edition, alive!)).toMatchObject({ status: 'sent' });
    expect(offered.filter((message) => message.subscriberId === dead)).toHaveLength(1);
    expect(await statusOf(world, dead!)).toBe(status);
    expect(await statusOf(world, alive!)).toBe('active');
  });

  it('pauses after pauseAfterOutages refused connections in a row, every row waiting with its attempt given back', async () => {
    const world = freshWorld({ 'delivery.pauseAfterOutages': 3, 'delivery.concurrency': 1, 'delivery.retryBaseMs': 60_000 });
    const readers = await addReaders(world, 6);
    const edition = await sampleEdition(world);
    const { transport, offered, sent } = recordingTransport(() => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25'), { code: 'ESOCKET' });
    });
    const summary = await sendWith(world, edition, transport);

    // Three in a row, and for two seconds: the first pass offers each reader once, a retry pass then pauses it.
    expect(summary.paused).toMatch(/^cannot reach the server: connection refused by 127\.0\.0\.1:25 \(\d+ tries in a row\)$/);
    expect(summary).toMatchObject({ sent: 0, failed: 0, complete: false, interrupted: false });
    expect(summary.topFailure).toEqual({ kind: 'outage', reason: 'connection refused by 127.0.0.1:25', count: offered.length });
    expect(offered.length).toBeGreaterThanOrEqual(6);
    expect(offered.length).toBeLessThan(12);
    expect(sent).toHaveLength(0);
    expect(ledgerRows(world.db, edition.id).map((row) => [row.status, row.attempts])).toEqual(readers.map(() => ['retry', 0]));
    expect(summary.counts).toEqual({ pending: 0, sending: 0, sent: 0, retry: 6, failed: 0, skipped: 0 });
    // Connection trouble is retried within seconds (not the per-message backoff of minutes).
    expect(Date.parse(summary.nextRetryAt!)).toBeLessThan(Date.now() + 10_000);
    expect((await world.editions.findById(edition.id))!.completedAt).toBeUndefined();
    for (const id of readers) expect(await statusOf(world, id)).toBe('active');
  });

  it('stops the run at once when the server refuses us (530 on MAIL FROM), failing nobody', async () => {
    const world = freshWorld({ 'delivery.concurrency': 1 });
    const [first] = await addReaders(world, 3);
    const edition = await sampleEdition(world);
    const { transport, offered } = recordingTransport(() => {
      throw smtpError(530, 'MAIL FROM');
    });
    const summary = await sendWith(world, edition, transport);

    expect(summary.paused).toBe('the server refused the run: 530 refused by the test');
    expect(summary).toMatchObject({ sent: 0, failed: 0, bounced: 0, complete: false });
    expect(offered).toHaveLength(1);
    expect(rowOf(world, edition, first!)).toMatchObject({ status: 'retry', attempts: 0 });
    expect(summary.counts).toMatchObject({ retry: 1, pending: 2, failed: 0 });
    expect(await statusOf(world, first!)).toBe('active');
  });

  it('fails a message that is still refused after maxAttempts, without bouncing the subscriber', async () => {
    const world = freshWorld({ 'delivery.maxAttempts': 3, 'delivery.retryBaseMs': 5 });
    const [stuck, fine] = await addReaders(world, 2);
    const edition = await sampleEdition(world);
    const { transport, offered } = recordingTransport((message) => {
      if (message.subscriberId === stuck) throw smtpError(451, 'RCPT TO');
    });
    const summary = await sendWith(world, edition, transport);

    expect(summary).toMatchObject({ sent: 1, failed: 1, bounced: 0, retried: 2, complete: true });
    expect(rowOf(world, edition, stuck!)).toMatchObject({ status: 'failed', attempts: 3, lastError: 'gave up after 3 attempts: 451 refused by the test' });
    expect(rowOf(world, edition, fine!)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(offered.filter((message) => message.subscriberId === stuck)).toHaveLength(3);
    expect(await statusOf(world, stuck!)).toBe('active');
  });

  it('skips someone who unsubscribes while the run is going', async () => {
    const world = freshWorld({ 'delivery.concurrency': 1 });
    const [first, second, leaver] = await addReaders(world, 3);
    const edition = await sampleEdition(world);
    const { transport, sent } = recordingTransport(async (message) => {
      if (message.subscriberId === first) await world.subscribers.unsubscribe(leaver!);
    });
    const summary = await sendWith(world, edition, transport);

    expect(summary).toMatchObject({ sent: 2, skipped: 1, failed: 0, complete: true });
    expect(sent.map((message) => message.subscriberId)).toEqual([first, second]);
    expect(rowOf(world, edition, leaver!)).toMatchObject({ status: 'skipped', attempts: 0 });
    expect(summary.counts).toMatchObject({ sent: 2, skipped: 1 });
  });

  it('stops taking messages when aborted, finishing those in flight, and a later run sends the rest once', async () => {
    const world = freshWorld({ 'delivery.concurrency': 2 });
    const readers = await addReaders(world, 12);
    const edition = await sampleEdition(world);
    const stop = new AbortController();
    const { transport, sent } = recordingTransport(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (sent.length === 2) stop.abort();
    });
    const summary = await sendWith(world, edition, transport, { signal: stop.signal });

    expect(summary.interrupted).toBe(true);
    expect(summary.complete).toBe(false);
    expect(summary.sent).toBeGreaterThanOrEqual(3);
    expect(summary.sent).toBeLessThan(12);
    expect(summary.counts).toEqual({ pending: 12 - summary.sent, sending: 0, sent: summary.sent, retry: 0, failed: 0, skipped: 0 });
    expect(ledgerRows(world.db, edition.id).filter((row) => row.status === 'sending')).toEqual([]);
    expect(sent).toHaveLength(summary.sent);

    const rest = await sendWith(world, edition, transport);
    expect(rest).toMatchObject({ sent: 12 - summary.sent, recovered: 0, complete: true });
    expect(sent.map((message) => message.subscriberId).sort((a, b) => a - b)).toEqual(readers);
  });

  it('refuses a second run on the same edition while the first holds the lease', async () => {
    const world = freshWorld({ 'delivery.concurrency': 1 });
    await addReaders(world, 3);
    const edition = await sampleEdition(world);
    const started = gate();
    const release = gate();
    const { transport, sent } = recordingTransport(async () => {
      started.open();
      await release.opened;
    });
    const first = sendWith(world, edition, transport);
    await started.opened;

    const second = recordingTransport();
    const error = await sendWith(world, edition, second.transport).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(PaperboyError);
    expect((error as PaperboyError).message).toMatch(/^Another paperboy \(.+\) is sending the 2026-03-02 edition to default/);
    expect(second.offered).toHaveLength(0);

    release.open();
    expect(await first).toMatchObject({ sent: 3, complete: true });
    expect(sent).toHaveLength(3);
    expect(world.db.prepare('SELECT count(*) AS runs FROM delivery_runs WHERE edition_id = ?').get(edition.id)).toEqual({ runs: 0 });
    expect(await sendWith(world, edition, second.transport)).toMatchObject({ sent: 0, complete: true });
  });

  it('re-sends rows a crashed run left in flight, with their Message-IDs, and counts them recovered', async () => {
    const world = freshWorld();
    const [a, b, c, d] = await addReaders(world, 4);
    const edition = await sampleEdition(world);
    expect(await world.ledger.enqueue(edition.id, 'default', senderDomain(world.config), dailyAudience)).toBe(4);
    world.db.prepare(`UPDATE deliveries SET status = 'sending', attempts = 1 WHERE edition_id = ? AND subscriber_id IN (?, ?)`).run(edition.id, b, d);
    const before = new Map(ledgerRows(world.db, edition.id).map((row) => [row.subscriberId, row.messageId]));

    const { transport, sent } = recordingTransport();
    const summary = await sendWith(world, edition, transport);
    expect(summary).toMatchObject({ recovered: 2, queued: 0, sent: 4, complete: true });
    expect(sent.map((message) => message.subscriberId).sort((x, y) => x - y)).toEqual([a, b, c, d]);
    for (const message of sent) expect(message.messageId).toBe(new MessageIdTokens(world.signer).seal(before.get(message.subscriberId)!));
    expect(rowOf(world, edition, b!)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(rowOf(world, edition, a!)).toMatchObject({ status: 'sent', attempts: 1 });
  });
});

describe('editions and recent papers', () => {
  const day = '2026-03-02';
  const nextDay = (offset: number) => format(addDays(parseISO(day), offset), 'yyyy-MM-dd');
  const idsOf = (edition: Edition) => edition.papers.map((paper) => paper.id);

  it('does not repeat papers featured in the last skipRecentDays days', async () => {
    const world = freshWorld({ 'selection.top': 5, 'selection.skipRecentDays': 7 });
    const first = await sampleEdition(world, day);
    expect(first.papers).toHaveLength(5);

    const second = await createOrResumeEdition(world.config, world.editions, { list: 'default', day: nextDay(1) });
    expect(second).toMatchObject({ kind: 'created', droppedAsRecent: 5 });
    const secondIds = idsOf((second as { edition: Edition }).edition);
    expect(secondIds).toHaveLength(5);
    expect(secondIds.filter((id) => idsOf(first).includes(id))).toEqual([]);

    const third = await createOrResumeEdition(world.config, world.editions, { list: 'default', day: nextDay(2) });
    expect(third).toMatchObject({ kind: 'created', droppedAsRecent: 10 });
    expect((third as { edition: Edition }).edition.papers).toHaveLength(2);

    const fourth = await createOrResumeEdition(world.config, world.editions, { list: 'default', day: nextDay(3) });
    expect(fourth).toMatchObject({ kind: 'no-papers', day: nextDay(3), source: 'sample', droppedAsRecent: 12 });
    expect(await world.editions.find('default', nextDay(3))).toBeUndefined();
  });

  it('features papers again once their edition is older than the window, and resumes a stored edition as it was', async () => {
    const world = freshWorld({ 'selection.top': 5, 'selection.skipRecentDays': 7 });
    const first = await sampleEdition(world, day);
    const later = await createOrResumeEdition(world.config, world.editions, { list: 'default', day: nextDay(8) });
    expect(later).toMatchObject({ kind: 'created', droppedAsRecent: 0 });
    expect(idsOf((later as { edition: Edition }).edition)).toEqual(idsOf(first));

    const again = await createOrResumeEdition(world.config, world.editions, { list: 'default', day });
    expect(again.kind).toBe('resumed');
    expect((again as { edition: Edition }).edition).toEqual(first);
  });
});
