/**
 * The admin dashboard's editions (src/admin/queries.ts), one behaviour on both backends: an
 * edition is sent through the ledger (sent through two relays, failed, skipped), reports come
 * back, and the edition page and the overview's row must say what `paperboy editions show --json`
 * prints for it, while it runs (counted live) and once it is finished (counted once and kept,
 * until a run starts on it again). A send held by two runs shows each run's progress.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BounceEvent } from '../../src/bounces/index.js';
import { isPostgresUrl } from '../../src/db/index.js';
import type { Edition } from '../../src/editions/index.js';
import { dailyAudience, runOwner } from '../../src/ledger/index.js';
import { createOrResumeEdition } from '../../src/pipeline/index.js';
import type { Stores } from '../../src/stores/index.js';
import { runCli } from '../helpers/cli.js';
import { type StoreWorld, storeBackends } from '../helpers/store-worlds.js';
import { subscriberInput } from '../helpers/subscribers.js';

const day = '2026-03-02';

describe.each(storeBackends({ source: 'sample' }))('the admin queries on %s: editions', (_backend, open) => {
  let world: StoreWorld;
  let stores: Stores;
  beforeEach(async () => {
    world = await open();
    stores = world.stores;
  });
  afterEach(async () => world.close());

  const edition = async (on = day): Promise<Edition> => {
    const outcome = await createOrResumeEdition(world.config, stores.editions, { list: 'default', day: on });
    if (outcome.kind === 'no-papers') throw new Error('no papers');
    return outcome.edition;
  };
  const idOf = async (email: string) => (await stores.subscribers.findByEmail(email))!.id;
  /** What `paperboy editions show --json` prints for the edition of `day`, on this store. */
  const shown = async () => {
    const { dataDir, database } = world.config;
    const result = await runCli(['--data-dir', dataDir, ...(isPostgresUrl(database) ? ['--database-url', database] : []), 'editions', 'show', day, '--json']);
    expect(result.stderr).toBe('');
    return JSON.parse(result.stdout);
  };
  /** The edition's numbers as the dashboard has them, next to the same numbers from `editions show`. */
  const compared = async (id: number) => {
    const detail = (await stores.adminQueries.edition(id))!;
    const show = await shown();
    const { counts, feedback } = show;
    expect(detail.edition).toMatchObject({
      id: show.id,
      day: show.day,
      list: show.list,
      papers: show.papers.length,
      createdAt: show.createdAt,
      total: Object.values(counts as Record<string, number>).reduce((sum, n) => sum + n, 0),
      sent: counts.sent,
      failed: counts.failed,
      pending: counts.pending + counts.sending,
      retry: counts.retry,
      skipped: counts.skipped,
      bounced: feedback.bounces,
      complained: feedback.complaints,
    });
    expect(detail.edition.completedAt).toBe(show.completedAt);
    expect(detail.failuresByReason).toEqual(show.failureReasons);
    expect(detail.byRelay).toEqual(show.relays ?? []);
    type Shown = { id: string; title: string; upvotes: number };
    const paper = ({ id: paperId, title, upvotes }: Shown) => ({ id: paperId, title, upvotes });
    expect(detail.papers.map(paper)).toEqual(show.papers.map(paper));
    expect(detail.papers.map((each) => each.rank)).toEqual(show.papers.map((_: Shown, index: number) => index + 1));
    const overview = await stores.adminQueries.overview({ days: 1, editions: 5, now: new Date() });
    expect(overview.editions).toEqual([detail.edition]);
    return detail;
  };
  const report = (subscriberId: number, editionId: number, kind: 'bounce' | 'complaint', action: BounceEvent['action']): BounceEvent => ({
    dedupeKey: `<${kind}-${subscriberId}-${action}@mx>`,
    subscriberId,
    editionId,
    kind,
    source: 'ingest',
    action,
    receivedAt: new Date().toISOString(),
    ...(kind === 'bounce' ? { hard: true, status: '5.1.1', reason: '550 5.1.1 No such user' } : {}),
  });

  /** Editions whose counts the store keeps (white box: edition_counts). */
  const kept = async (): Promise<number[]> => {
    const sql = 'SELECT edition_id FROM edition_counts ORDER BY edition_id';
    if (world.stores.kind === 'sqlite') {
      const { openDatabase } = await import('../../src/stores/sqlite/index.js');
      const db = openDatabase(world.config.dataDir);
      try {
        return (db.prepare(sql).all() as { edition_id: number }[]).map((row) => row.edition_id);
      } finally {
        db.close();
      }
    }
    const { openPostgres } = await import('../../src/stores/postgres/index.js');
    const pool = await openPostgres(world.config.database!);
    try {
      return (await pool.query<{ edition_id: number }>(sql)).rows.map((row) => row.edition_id);
    } finally {
      await pool.end();
    }
  };

  it('says what editions show says of an edition, while it runs and once finished, with its funnel, domains and papers', async () => {
    const { ledger } = stores;
    const names = ['a@example.org', 'b@example.org', 'c@example.org', 'd@example.net', 'e@example.org', 'f@example.org'];
    await stores.subscribers.upsertMany(names.map((email) => subscriberInput(email)));
    const sent = await edition();
    await ledger.enqueue(sent.id, 'default', 'example.org', dailyAudience);
    const owner = runOwner();
    await ledger.startRun(sent.id, owner, { leaseMs: 60_000, exclusive: true });
    await ledger.reserve(sent.id, owner, 10, new Date(), 0);
    const [a, b, c, d, e, f] = await Promise.all(names.map(idOf));
    await ledger.claimMany(sent.id, [a!, b!, c!, d!, e!], 'default', owner);
    await ledger.markSentMany(
      sent.id,
      [a!, b!, c!],
      owner,
      new Map([
        [a!, 'ses-eu'],
        [b!, 'postmark'],
      ]),
    );
    await ledger.markFailed(sent.id, d!, owner, { kind: 'bounce', reason: '550 5.1.1 No such user', relay: 'postmark' });
    await ledger.markFailed(sent.id, e!, owner, { kind: 'reject', reason: '552 5.2.2 Mailbox full', relay: 'ses-eu' });
    await stores.bounces.record(report(a!, sent.id, 'bounce', 'bounced'));
    await stores.bounces.record(report(b!, sent.id, 'complaint', 'complained'));
    await stores.bounces.record(report(c!, sent.id, 'bounce', 'unverified')); // waits for the operator: counts nowhere yet

    // Running: f is reserved, not sent. Counted live.
    const running = await compared(sent.id);
    expect(running.edition).toMatchObject({ total: 6, sent: 3, failed: 2, pending: 1, retry: 0, skipped: 0, bounced: 1, complained: 1 });
    expect(running.funnel).toEqual([
      { step: 'queued', count: 6 },
      { step: 'sent', count: 3 },
      { step: 'delivered', count: 2 },
      { step: 'without complaint', count: 1 },
    ]);
    expect(running.failuresByDomain).toEqual([
      { domain: 'example.org', failed: 1, bounced: 1, complained: 1 },
      { domain: 'example.net', failed: 1, bounced: 0, complained: 0 },
    ]);
    expect(running.byRelay).toEqual([
      { relay: 'postmark', sent: 1, failed: 1 },
      { relay: 'ses-eu', sent: 1, failed: 1 },
    ]);
    const sentAt: string[] = [];
    for (const email of names.slice(0, 3)) sentAt.push((await stores.adminQueries.reader(email))!.editions[0]!.sentAt!);
    sentAt.sort();
    expect([running.firstSentAt, running.lastSentAt]).toEqual([sentAt[0], sentAt[2]]);
    expect(running.papers[0]!.url).toBe(`https://huggingface.co/papers/${running.papers[0]!.id}`);
    expect(await kept()).toEqual([]);

    // f left: the run skips them, ends, and the edition is complete. The first read counts it and keeps the counts.
    await stores.subscribers.unsubscribe(f!);
    expect(await ledger.claim(sent.id, f!, 'default', owner)).toBe('skipped');
    await ledger.endRun(sent.id, owner);
    await stores.editions.markCompleted(sent.id);
    const finished = await compared(sent.id);
    expect(finished.edition).toMatchObject({ total: 6, sent: 3, failed: 2, pending: 0, skipped: 1, bounced: 1, complained: 1 });
    expect(finished.edition.completedAt).toBeDefined();
    expect(await kept()).toEqual([sent.id]);
    // A report applied later counts at once: the reports are never kept with the counts.
    await stores.bounces.review((await stores.bounces.list({ limit: 10, actions: ['unverified'] }))[0]!.id, 'bounced', new Date().toISOString());
    expect((await compared(sent.id)).edition.bounced).toBe(2);

    // send --retry-failed: the rejection waits again and a run starts: the kept counts go, the page counts live again.
    expect(await ledger.retryFailed(sent.id)).toBe(1);
    await ledger.startRun(sent.id, runOwner(), { leaseMs: 60_000, exclusive: false });
    expect(await kept()).toEqual([]);
    expect((await compared(sent.id)).edition).toMatchObject({ failed: 1, retry: 1 });
    expect(await kept()).toEqual([]); // a run holds it: not finished, nothing kept
  });

  it("shows a send held by two runs, each run's sent and held messages, and the complaint rate of the last 30 days", async () => {
    const { ledger } = stores;
    const names = ['a', 'b', 'c', 'd', 'e'].map((name) => `${name}@example.org`);
    await stores.subscribers.upsertMany(names.map((email) => subscriberInput(email)));
    const sent = await edition();
    await ledger.enqueue(sent.id, 'default', 'example.org', dailyAudience);
    const [first, second] = [runOwner(), runOwner()];
    await ledger.startRun(sent.id, first, { leaseMs: 60_000, exclusive: false });
    await ledger.startRun(sent.id, second, { leaseMs: 60_000, exclusive: false });
    const mine = (await ledger.reserve(sent.id, first, 2, new Date(), 0)).map((row) => row.subscriberId);
    const theirs = (await ledger.reserve(sent.id, second, 2, new Date(), 0)).map((row) => row.subscriberId);
    await ledger.claimMany(sent.id, mine, 'default', first);
    await ledger.markSent(sent.id, mine[0]!, first);
    await ledger.markSent(sent.id, mine[1]!, first);
    await ledger.claimMany(sent.id, theirs.slice(0, 1), 'default', second);
    await ledger.markSent(sent.id, theirs[0]!, second);
    await stores.bounces.record(report(mine[0]!, sent.id, 'complaint', 'complained'));

    const [send] = await stores.adminQueries.running(new Date());
    expect(send).toMatchObject({ editionId: sent.id, day, list: 'default', total: 5, sent: 3, pending: 2, failed: 0, retry: 0, skipped: 0 });
    const byRun = Object.fromEntries(send!.senders.map(({ run, sent: done, claimed }) => [run, { done, claimed }]));
    expect(byRun).toEqual({ [first]: { done: 2, claimed: 0 }, [second]: { done: 1, claimed: 1 } });
    for (const sender of send!.senders) expect(sender.leaseUntil > sender.startedAt).toBe(true);
    expect(await stores.adminQueries.running(new Date(Date.now() + 120_000))).toEqual([]); // both leases over by then

    const { complaintRate, editions } = await stores.adminQueries.overview({ days: 30, editions: 10, now: new Date() });
    expect(editions.map((row) => [row.id, row.sent, row.complained])).toEqual([[sent.id, 3, 1]]);
    expect(complaintRate).toEqual({ last30Days: 1 / 3, complaints: 1, sent: 3 });
    // Thirty days on, the edition is out of the rate's window, and still in the list.
    const later = await stores.adminQueries.overview({ days: 1, editions: 10, now: new Date(Date.now() + 31 * 86_400_000) });
    expect(later.complaintRate).toEqual({ last30Days: 0, complaints: 0, sent: 0 });
    expect(later.editions).toHaveLength(1);
    expect(await stores.adminQueries.edition(sent.id + 1000)).toBeUndefined();
  });
});
