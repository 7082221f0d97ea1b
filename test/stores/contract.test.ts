/**
 * The store contract: one behaviour, two backends. Every test here runs unchanged against the
 * SQLite file and against a real PostgreSQL server.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BounceEvent } from '../../src/bounces/index.js';
import { sendEdition, senderDomain } from '../../src/delivery/index.js';
import type { Edition } from '../../src/editions/index.js';
import type { PaperboyError } from '../../src/errors.js';
import { dailyAudience, runOwner } from '../../src/ledger/index.js';
import { createOrResumeEdition } from '../../src/pipeline/index.js';
import type { Stores } from '../../src/stores/index.js';
import { type SubscriberInput, TokenSigner } from '../../src/subscribers/index.js';
import { recordingTransport } from '../helpers/delivery.js';
import { type StoreWorld, storeBackends } from '../helpers/store-worlds.js';

const backends = storeBackends({ source: 'sample' });

const person = (email: string, more: Partial<SubscriberInput> = {}): SubscriberInput => ({
  email,
  status: 'active',
  source: 'cli',
  lists: ['default'],
  ...more,
});
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as PaperboyError,
  );

describe.each(backends)('the store contract on %s', (backend, open) => {
  let world: StoreWorld;
  let stores: Stores;
  beforeEach(async () => {
    world = await open();
    stores = world.stores;
  });
  afterEach(async () => world.close());

  const edition = async (day = '2026-03-02', list = 'default'): Promise<Edition> => {
    const outcome = await createOrResumeEdition(world.config, stores.editions, { list, day });
    if (outcome.kind === 'no-papers') throw new Error('no papers');
    return outcome.edition;
  };
  const idOf = async (email: string) => (await stores.subscribers.findByEmail(email))!.id;
  /** An edition for the readers <name>@example.org, a run of it, and every row reserved by the run: their ids in order. */
  const reservedRun = async (names: readonly string[]) => {
    await stores.subscribers.upsertMany(names.map((name) => person(`${name}@example.org`)));
    const sent = await edition();
    await stores.ledger.enqueue(sent.id, 'default', 'example.org', dailyAudience);
    const owner = runOwner();
    await stores.ledger.startRun(sent.id, owner, { leaseMs: 10_000, exclusive: true });
    const ids = (await stores.ledger.reserve(sent.id, owner, 10, new Date(), 0)).map((row) => row.subscriberId);
    return { sent, owner, ids };
  };

  describe('subscribers', () => {
    it('merges inputs by the rules: added, unchanged, updated, kept suppressed, resubscribed', async () => {
      const { subscribers } = stores;
      expect(await subscribers.upsertMany([person('ada@example.org', { name: 'Ada' })])).toEqual(['added']);
      expect(await subscribers.upsertMany([person('ADA@example.org')])).toEqual(['unchanged']);
      expect(await subscribers.upsertMany([person('ada@example.org', { name: 'Ada Lovelace', topics: ['nlp'] })])).toEqual(['updated']);
      await subscribers.unsubscribe(await idOf('ada@example.org'));
      expect(await subscribers.upsertMany([person('ada@example.org')])).toEqual(['kept-suppressed']);
      expect((await subscribers.findByEmail('ada@example.org'))!.status).toBe('unsubscribed');
      expect(await subscribers.upsertMany([person('ada@example.org')], { resubscribe: true })).toEqual(['resubscribed']);
      const ada = (await subscribers.findByEmail('Ada@Example.org'))!;
      expect(ada).toMatchObject({
        email: 'ada@example.org',
        name: 'Ada Lovelace',
        status: 'active',
        source: 'cli',
        lists: ['default'],
        preferences: { topics: ['nlp'] },
      });
      expect(ada.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(ada.confirmedAt).toMatch(/Z$/);
    });

    it('merges an address named twice in one batch into one record, pending upgraded by a confirmation', async () => {
      const outcomes = await stores.subscribers.upsertMany([
        person('BOB@example.org', { status: 'pending', name: 'Bob' }),
        person('bob@example.org', { status: 'active' }),
        person('cy@example.org', { status: 'bounced' }),
      ]);
      expect(outcomes).toEqual(['added', 'updated', 'added']);
      expect(await stores.subscribers.findByEmail('bob@example.org')).toMatchObject({ email: 'BOB@example.org', name: 'Bob', status: 'active' });
      expect((await stores.subscribers.findByEmail('cy@example.org'))!.status).toBe('bounced');
      expect(await stores.subscribers.count({})).toBe(2);
    });

    it('keeps someone off a list they left unless they come back explicitly, and refuses unknown lists', async () => {
      const { subscribers } = stores;
      await subscribers.createList('team', 'The team');
      await subscribers.upsertMany([person('dee@example.org', { lists: ['default', 'team'] })]);
      const id = await idOf('dee@example.org');
      await subscribers.unsubscribe(id, 'team');
      expect((await subscribers.findById(id))!.lists).toEqual(['default']);
      expect(await subscribers.upsertMany([person('dee@example.org', { lists: ['team'] })])).toEqual(['unchanged']);
      expect(await subscribers.upsertMany([person('dee@example.org', { lists: ['team'] })], { resubscribe: true })).toEqual(['updated']);
      expect((await subscribers.findById(id))!.lists).toEqual(['default', 'team']);
      expect((await rejection(subscribers.upsertMany([person('eve@example.org', { lists: ['nope'] })])))!.message).toContain('There is no list named "nope"');
      expect(await subscribers.findByEmail('eve@example.org')).toBeUndefined();
      expect((await rejection(subscribers.unsubscribe(id, 'nope')))!.message).toContain('not on the list');
    });

    it('keeps lists: public or private, counted, removable only without editions', async () => {
      const { subscribers } = stores;
      await subscribers.createList('open', 'Anyone', { public: true });
      await subscribers.createList('closed');
      expect((await rejection(subscribers.createList('open')))!.message).toBe('A list named "open" already exists.');
      expect((await rejection(subscribers.createList('Bad Name')))!.code).toBe('INPUT');
      await subscribers.upsertMany([person('a@example.org', { lists: ['open'] }), person('b@example.org', { lists: ['open'], status: 'pending' })]);
      const lists = await subscribers.listLists();
      expect(lists.map((list) => [list.name, list.public, list.activeCount, list.memberCount])).toEqual([
        ['closed', false, 0, 0],
        ['default', true, 0, 0],
        ['open', true, 1, 2],
      ]);
      expect(await subscribers.hasList('open')).toBe(true);
      await subscribers.removeList('closed');
      expect(await subscribers.hasList('closed')).toBe(false);
      expect((await rejection(subscribers.removeList('default')))!.message).toContain('cannot be removed');
      await edition('2026-03-02', 'open');
      expect((await rejection(subscribers.removeList('open')))!.message).toBe(
        'The list "open" has 1 edition and their delivery records; it is kept so nothing is sent twice.',
      );
    });

    it('pages and counts by status and by list, where a list-level unsubscribe counts as unsubscribed', async () => {
      const { subscribers } = stores;
      await subscribers.createList('team');
      const inputs = Array.from({ length: 7 }, (_, i) => person(`p${i}@example.org`, { lists: ['default', 'team'], status: i === 6 ? 'pending' : 'active' }));
      await subscribers.upsertMany(inputs);
      await subscribers.unsubscribe(await idOf('p2@example.org'), 'team');
      expect(await subscribers.count({})).toBe(7);
      expect(await subscribers.count({ status: 'active' })).toBe(6);
      expect(await subscribers.count({ list: 'team', status: 'active' })).toBe(5);
      expect(await subscribers.count({ list: 'team', status: 'unsubscribed' })).toBe(1);
      const first = await subscribers.page({ list: 'team', status: 'active' }, 0, 3);
      const second = await subscribers.page({ list: 'team', status: 'active' }, first.at(-1)!.id, 3);
      expect([...first, ...second].map((s) => s.email)).toEqual(['p0@example.org', 'p1@example.org', 'p3@example.org', 'p4@example.org', 'p5@example.org']);
    });

    it('sets status and preferences, and removes someone with everything stored about them', async () => {
      const { subscribers } = stores;
      await subscribers.createList('team', '', { public: true });
      await subscribers.upsertMany([person('fay@example.org', { status: 'pending' })]);
      const id = await idOf('fay@example.org');
      await subscribers.setStatus(id, 'active');
      expect((await subscribers.findById(id))!.confirmedAt).toBeDefined();
      await subscribers.setPreferences(id, { topics: ['vision'], maxPapers: 3 }, ['team']);
      expect(await subscribers.findById(id)).toMatchObject({ preferences: { topics: ['vision'], maxPapers: 3 }, lists: ['team'] });
      await subscribers.setStatus(id, 'bounced');
      expect((await subscribers.findById(id))!.unsubscribedAt).toBeDefined();
      const sent = await edition('2026-03-03', 'team');
      await stores.ledger.enqueue(sent.id, 'team', 'example.org', dailyAudience);
      await subscribers.remove(id);
      expect(await subscribers.findById(id)).toBeUndefined();
      expect(await stores.ledger.counts(sent.id)).toMatchObject({ pending: 0 });
    });

    it('rehearses: every write inside is undone', async () => {
      const { subscribers } = stores;
      const inside = await subscribers.rehearse(async () => {
        await subscribers.upsertMany([person('ghost@example.org')]);
        return subscribers.count({});
      });
      expect(inside).toBe(1);
      expect(await subscribers.count({})).toBe(0);
    });

    it('limits confirmation mails per address, whatever its case: one per interval, a few a day', async () => {
      const { subscribers } = stores;
      const limits = { intervalMinutes: 10, perDay: 2 };
      const at = (minutes: number) => new Date(Date.parse('2026-08-21T08:00:00Z') + minutes * 60_000);
      const take = async (email: string, minutes: number) => (await subscribers.takeConfirmationSlots([email], at(minutes), limits))[0];
      expect(await take('kim@example.org', 0)).toBe(true);
      expect(await take('KIM@example.org', 5)).toBe(false);
      expect(await take('kim@example.org', 11)).toBe(true);
      expect(await take('kim@example.org', 30)).toBe(false);
      expect(await take('other@example.org', 30)).toBe(true);
      expect(await take('kim@example.org', 24 * 60 + 1)).toBe(true);
    });

    it('takes a batch of confirmation slots in order: an address named twice in it gets the first only', async () => {
      const { subscribers } = stores;
      const limits = { intervalMinutes: 10, perDay: 3 };
      const now = new Date('2026-08-21T08:00:00Z');
      expect(await subscribers.takeConfirmationSlots(['ann@example.org', 'bo@example.org', 'ANN@example.org', 'cy@example.org'], now, limits)).toEqual([
        true,
        true,
        false,
        true,
      ]);
      expect(await subscribers.takeConfirmationSlots(['bo@example.org', 'dee@example.org'], new Date(now.getTime() + 60_000), limits)).toEqual([false, true]);
      expect(await subscribers.takeConfirmationSlots([], now, limits)).toEqual([]);
      // Without an interval, only the day's allowance counts, a send within the batch included.
      expect(await subscribers.takeConfirmationSlots(Array(4).fill('eve@example.org'), now, { intervalMinutes: 0, perDay: 3 })).toEqual([
        true,
        true,
        true,
        false,
      ]);
    });

    it('finds the subscribers of several mailboxes in one read, however their case, and skips addresses it does not know', async () => {
      const { subscribers } = stores;
      await subscribers.upsertMany([person('ada@example.org'), person('Bob@example.org')]);
      const found = await subscribers.findByEmails(['ADA@example.org', 'bob@example.org', 'nobody@example.org']);
      expect(found.map((each) => each.email).sort()).toEqual(['Bob@example.org', 'ada@example.org']);
      expect(await subscribers.findByEmails([])).toEqual([]);
    });
  });

  describe('editions', () => {
    it('creates an edition once, finds it, lists it with its counts, and keeps the archive by day', async () => {
      const first = await edition('2026-03-02');
      const again = await stores.editions.create({
        list: 'default',
        day: '2026-03-02',
        source: 'other',
        papers: [],
        templates: first.templates,
        templatesVersion: 'x',
      });
      expect(again).toEqual({ edition: first, created: false }); // a racing sender did not create it
      await stores.editions.recordTransport(first.id, 'smtp://relay.example.org:2525');
      first.transport = 'smtp://relay.example.org:2525';
      expect(await stores.editions.find('default', '2026-03-02')).toEqual(first);
      expect(await stores.editions.findById(first.id)).toEqual(first);
      expect(first.papers.length).toBe(10);
      expect(first.createdAt).toMatch(/Z$/);
      await stores.editions.markCompleted(first.id);
      const next = await edition('2026-03-03');
      expect(await stores.editions.latestIdOfDay('2026-03-03')).toBe(next.id);
      const listed = await stores.editions.list();
      expect(listed.map((row) => [row.day, row.papers, row.completedAt !== undefined])).toEqual([
        ['2026-03-03', 2, false],
        ['2026-03-02', 10, true],
      ]);
      expect(await stores.editions.archiveDays(10)).toEqual([
        { day: '2026-03-03', editionId: next.id, papers: 2, createdAt: next.createdAt },
        { day: '2026-03-02', editionId: first.id, papers: 10, createdAt: first.createdAt },
      ]);
      expect([...(await stores.editions.recentPaperIds('default', '2026-03-04', 7))].sort()).toEqual(
        [...first.papers, ...next.papers].map((paper) => paper.id).sort(),
      );
    });

    it('leaves the weekly roundup out of the papers a daily edition must not repeat, even across the new year', async () => {
      const daily = await edition('2025-12-30');
      await stores.editions.create({
        list: 'default',
        day: '2025-W52',
        source: 'test',
        papers: daily.papers.map((each) => ({ ...each, id: `w${each.id}` })),
        templates: daily.templates,
        templatesVersion: 'x',
      });
      const recent = await stores.editions.recentPaperIds('default', '2026-01-02', 7);
      expect([...recent].sort()).toEqual(daily.papers.map((each) => each.id).sort());
    });
  });

  describe('the ledger', () => {
    it('queues each reader by their rhythm: daily readers, the alert readers whose searches matched, weekly readers for the roundup', async () => {
      await stores.subscribers.upsertMany([
        person('daily@example.org'),
        person('weekly@example.org', { frequency: 'weekly', alerts: ['agent'] }),
        person('agent@example.org', { frequency: 'alerts', alerts: ['agent'] }),
        person('agent2@example.org', { frequency: 'alerts', alerts: ['agent'] }),
        person('quokka@example.org', { frequency: 'alerts', alerts: ['protein folding', 'quokka'] }),
      ]);
      const sets = (await stores.ledger.alertSets('default')).map((set) => ({ alerts: JSON.parse(set.alerts) as string[], readers: set.readers }));
      expect(sets.sort((a, b) => a.readers - b.readers)).toEqual([
        { alerts: ['protein folding', 'quokka'], readers: 1 },
        { alerts: ['agent'], readers: 2 },
      ]);
      const agentSet = (await stores.ledger.alertSets('default')).find((set) => set.readers === 2)!.alerts;
      const daily = await edition('2026-03-02');
      expect(await stores.ledger.enqueue(daily.id, 'default', 'example.org', { frequencies: ['daily'], alertSets: [agentSet] })).toBe(3);
      const owner = runOwner();
      await stores.ledger.startRun(daily.id, owner, { leaseMs: 10_000, exclusive: true });
      const rows = await stores.ledger.reserve(daily.id, owner, 10, new Date(), 0);
      expect(rows.map((row) => row.email).sort()).toEqual(['agent2@example.org', 'agent@example.org', 'daily@example.org']);
      expect(rows.find((row) => row.email === 'agent@example.org')!.preferences).toEqual({ topics: [], frequency: 'alerts', alerts: ['agent'] });
      expect(rows.find((row) => row.email === 'daily@example.org')!.preferences).toEqual({ topics: [] });
      const { edition: weekly } = await stores.editions.create({
        list: 'default',
        day: '2026-W10',
        source: 'test',
        papers: daily.papers,
        templates: daily.templates,
        templatesVersion: 'x',
      });
      expect(await stores.ledger.enqueue(weekly.id, 'default', 'example.org', { frequencies: ['weekly'], alertSets: [] })).toBe(1);
      // An import or add that names a frequency or alerts changes them; one that does not keeps them.
      expect(await stores.subscribers.upsertMany([person('daily@example.org', { frequency: 'weekly', alerts: ['robots'] })])).toEqual(['updated']);
      expect(await stores.subscribers.upsertMany([person('daily@example.org', { frequency: 'weekly' })])).toEqual(['unchanged']);
      expect(await stores.subscribers.upsertMany([person('daily@example.org', { name: 'Dee' })])).toEqual(['updated']);
      expect((await stores.subscribers.findByEmail('daily@example.org'))!.preferences).toEqual({ topics: [], frequency: 'weekly', alerts: ['robots'] });
    });

    it('enqueues the active members once, with Message-IDs carrying the store id and a slot for their MAC, and counts them', async () => {
      await stores.subscribers.upsertMany([person('a@example.org'), person('b@example.org'), person('c@example.org', { status: 'pending' })]);
      const sent = await edition();
      expect(await stores.ledger.enqueue(sent.id, 'default', 'example.org', dailyAudience)).toBe(2);
      expect(await stores.ledger.enqueue(sent.id, 'default', 'example.org', dailyAudience)).toBe(0);
      expect(await stores.ledger.counts(sent.id)).toEqual({ pending: 2, sending: 0, sent: 0, retry: 0, failed: 0, skipped: 0 });
      const owner = runOwner();
      await stores.ledger.startRun(sent.id, owner, { leaseMs: 10_000, exclusive: true });
      const rows = await stores.ledger.reserve(sent.id, owner, 10, new Date(), 0);
      expect(rows.map((row) => row.email)).toEqual(['a@example.org', 'b@example.org']);
      expect(rows[0]!.messageId).toMatch(new RegExp(`^<2026-03-02\\.${sent.id}\\.${rows[0]!.subscriberId}\\.[0-9a-f]{10}\\.\\{mac\\}@example\\.org>$`));
    });

    it('keeps the demo readers apart: marked, left out of real mail, set aside when queued, and cleared with the demo editions', async () => {
      await stores.subscribers.upsertMany([person('ada@example.org', { source: 'import', demo: true }), person('real@news.test')]);
      // Merging never changes the mark, either way.
      await stores.subscribers.upsertMany([person('ada@example.org', { name: 'Ada' }), person('real@news.test', { demo: true })]);
      expect((await stores.subscribers.findByEmail('ada@example.org'))!.demo).toBe(true);
      expect((await stores.subscribers.findByEmail('real@news.test'))!.demo).toBeUndefined();
      expect(await stores.subscribers.count({ list: 'default', status: 'active', demo: true })).toBe(1);
      expect((await stores.subscribers.page({ demo: false }, 0, 10)).map((s) => s.email)).toEqual(['real@news.test']);

      const demoDay = await edition('2026-03-02');
      expect(await stores.ledger.enqueue(demoDay.id, 'default', 'example.org', dailyAudience)).toBe(2);
      expect(await stores.ledger.setAsideDemo(demoDay.id)).toBe(1);
      expect(await stores.ledger.counts(demoDay.id)).toMatchObject({ pending: 1, skipped: 1 });
      const ada = (await stores.subscribers.findByEmail('ada@example.org'))!;
      expect(await stores.ledger.settledAmong(demoDay.id, [ada.id, ada.id + 1000])).toEqual(new Set([ada.id]));
      const liveDay = await edition('2026-03-03');
      expect(await stores.ledger.enqueue(liveDay.id, 'default', 'example.org', { ...dailyAudience, leaveOutDemo: true })).toBe(1);

      await stores.editions.recordTransport(liveDay.id, 'smtp://relay.example.org:587');
      expect(await stores.clearDemo()).toEqual({ editions: 1, readers: 1, papers: 0 });
      expect(await stores.editions.find('default', '2026-03-02')).toBeUndefined();
      expect(await stores.editions.find('default', '2026-03-03')).toBeDefined(); // it went out for real: history, kept
      expect(await stores.subscribers.findByEmail('ada@example.org')).toBeUndefined();
      expect(await stores.clearDemo()).toEqual({ editions: 0, readers: 0, papers: 0 });
    });

    it('takes a row through claim, failure kinds and sent, and reports failures grouped and per reader', async () => {
      const { ledger } = stores;
      const { sent, owner, ids } = await reservedRun(['a', 'b', 'c', 'd', 'e']);
      const [a, b, c, d, e] = ids;
      for (const id of [a, b, c, d]) expect(await ledger.claim(sent.id, id!, 'default', owner)).toBe('claimed');
      expect(await ledger.markSent(sent.id, a!, owner)).toBe(true);
      expect(await ledger.markFailed(sent.id, b!, owner, { kind: 'bounce', reason: '550 5.1.1 No such user' })).toBe(true);
      expect(await ledger.markFailed(sent.id, c!, owner, { kind: 'reject', reason: '552 5.2.2 Mailbox full' })).toBe(true);
      const later = new Date(Date.now() + 60_000);
      expect(await ledger.markWaiting(sent.id, d!, owner, { kind: 'outage', reason: 'connection refused', at: later, spendAttempt: false })).toBe(true);
      await stores.subscribers.unsubscribe(e!);
      expect(await ledger.claim(sent.id, e!, 'default', owner)).toBe('skipped');
      expect(await ledger.counts(sent.id)).toEqual({ pending: 0, sending: 0, sent: 1, retry: 1, failed: 2, skipped: 1 });
      expect((await ledger.nextRetryAt(sent.id))!.getTime()).toBe(later.getTime());
      // Most frequent first, then by reason.
      expect(await ledger.failureGroups(sent.id)).toEqual([
        { status: 'failed', kind: 'bounce', reason: '550 5.1.1 No such user', count: 1 },
        { status: 'failed', kind: 'reject', reason: '552 5.2.2 Mailbox full', count: 1 },
        { status: 'waiting', kind: 'outage', reason: 'connection refused', count: 1 },
      ]);
      const failures = await ledger.failures(sent.id, 10);
      expect(failures.map((row) => [row.email, row.status, row.kind, row.attempts])).toEqual([
        ['b@example.org', 'failed', 'bounce', 1],
        ['c@example.org', 'failed', 'reject', 1],
        ['d@example.org', 'waiting', 'outage', 0],
      ]);
      expect(failures[2]!.nextAttemptAt).toBe(later.toISOString());
      expect(await ledger.retryFailed(sent.id)).toBe(1); // the rejection, not the bounce
      await ledger.recordLastSent(sent.id);
      expect((await stores.subscribers.findById(a!))!.lastSentAt).toBeDefined();
    });

    it('records the relay that took or refused each row, in one batch, and counts sent and failed per relay', async () => {
      const { ledger } = stores;
      const { sent, owner, ids } = await reservedRun(['a', 'b', 'c', 'd', 'e']);
      const [a, b, c, d, e] = ids;
      for (const id of ids) await ledger.claim(sent.id, id, 'default', owner);
      const relayOf = new Map([
        [a!, 'ses-eu'],
        [b!, 'postmark'],
        [c!, 'ses-eu'],
      ]);
      expect(await ledger.markSentMany(sent.id, [a!, b!, c!, d!], owner, relayOf)).toEqual(new Set([a, b, c, d]));
      expect(await ledger.markFailed(sent.id, e!, owner, { kind: 'reject', reason: '554 5.6.0 refused', relay: 'postmark' })).toBe(true);
      expect(await ledger.relayCounts(sent.id)).toEqual([
        { relay: 'postmark', sent: 1, failed: 1 },
        { relay: 'ses-eu', sent: 2, failed: 0 }, // d went through no relay: it is not counted
      ]);
    });

    it('puts a streak back to waiting with the attempt given back (requeue)', async () => {
      const { ledger } = stores;
      await stores.subscribers.upsertMany([person('a@example.org'), person('b@example.org')]);
      const sent = await edition();
      await ledger.enqueue(sent.id, 'default', 'example.org', dailyAudience);
      const owner = runOwner();
      await ledger.startRun(sent.id, owner, { leaseMs: 10_000, exclusive: true });
      const ids = (await ledger.reserve(sent.id, owner, 10, new Date(), 0)).map((row) => row.subscriberId);
      for (const id of ids) {
        await ledger.claim(sent.id, id, 'default', owner);
        await ledger.markFailed(sent.id, id, owner, { kind: 'bounce', reason: '550 5.1.1' });
      }
      expect(await ledger.requeue(sent.id, ids, owner, 'the relay was at fault')).toBe(2);
      expect(await ledger.counts(sent.id)).toMatchObject({ failed: 0, retry: 2 });
      const again = await ledger.reserve(sent.id, owner, 10, new Date(Date.now() + 1000), 0);
      expect(again.map((row) => row.attempts)).toEqual([0, 0]);
    });

    it('refuses a second exclusive run while the first holds its lease, and gives the edition to the next once it lapses', async () => {
      const { ledger } = stores;
      await stores.subscribers.upsertMany([person('a@example.org'), person('b@example.org')]);
      const sent = await edition();
      await ledger.enqueue(sent.id, 'default', 'example.org', dailyAudience);
      const stalled = runOwner();
      await ledger.startRun(sent.id, stalled, { leaseMs: 10_000, exclusive: true });
      const [first] = await ledger.reserve(sent.id, stalled, 1, new Date(), 0);
      expect(await ledger.claim(sent.id, first!.subscriberId, 'default', stalled)).toBe('claimed');
      const next = runOwner();
      expect(await ledger.startRun(sent.id, next, { leaseMs: 10_000, exclusive: true })).toEqual({ started: false, holder: stalled });
      await ledger.renewRun(sent.id, stalled, -1000); // its lease lapses (set in the past: no waiting on the clock)
      expect(await ledger.startRun(sent.id, next, { leaseMs: 10_000, exclusive: true })).toMatchObject({ started: true, recovered: 1 });
      expect(await ledger.markSent(sent.id, first!.subscriberId, stalled)).toBe(false);
      expect(await ledger.claim(sent.id, first!.subscriberId, 'default', stalled)).toBe('lost');
      expect(await ledger.renewRun(sent.id, stalled, 10_000)).toEqual({ held: false, senders: 0 });
      expect(await ledger.renewRun(sent.id, next, 10_000)).toEqual({ held: true, senders: 1 });
      const rows = await ledger.reserve(sent.id, next, 10, new Date(), 0);
      expect(rows.map((row) => row.subscriberId)).toContain(first!.subscriberId);
      await ledger.endRun(sent.id, next);
      expect(await ledger.startRun(sent.id, runOwner(), { leaseMs: 10_000, exclusive: true })).toMatchObject({ started: true, recovered: 0 });
    });

    it('paces senders of one edition together: slots are handed out one interval apart, whoever asks', async () => {
      const sent = await edition();
      // Ten-second slots: however slow the machine, the second caller waits for the first's four.
      const first = await stores.ledger.takeSendSlots(sent.id, 4, 10_000); // now … now+30 s
      const second = await stores.ledger.takeSendSlots(sent.id, 4, 10_000); // from now+40 s
      expect(first).toBeLessThan(10_000);
      expect(second).toBeGreaterThan(30_000);
    });

    it('finds the editions with retries due, for the schedule', async () => {
      await stores.subscribers.upsertMany([person('late@example.org')]);
      const sent = await edition();
      await stores.ledger.enqueue(sent.id, 'default', 'example.org', dailyAudience);
      const owner = runOwner();
      await stores.ledger.startRun(sent.id, owner, { leaseMs: 10_000, exclusive: true });
      const [row] = await stores.ledger.reserve(sent.id, owner, 10, new Date(), 0);
      await stores.ledger.claim(sent.id, row!.subscriberId, 'default', owner);
      const at = new Date(Date.now() + 60_000);
      await stores.ledger.markWaiting(sent.id, row!.subscriberId, owner, { kind: 'deferred', reason: '451 later', at, spendAttempt: true });
      expect(await stores.ledger.dueRetries(new Date())).toEqual([]);
      expect(await stores.ledger.dueRetries(new Date(at.getTime() + 1))).toEqual([{ list: 'default', day: sent.day }]);
      const [again] = await stores.ledger.reserve(sent.id, owner, 10, new Date(at.getTime() + 1), 0);
      expect(again!.deferredSince).toEqual(expect.any(String)); // the retry window starts at the first deferral
    });

    it("lets runs that share an edition reserve disjoint rows, and frees a dead one's rows once its lease lapses", async () => {
      const { ledger } = stores;
      await stores.subscribers.upsertMany(Array.from({ length: 6 }, (_, i) => person(`r${i}@example.org`)));
      const sent = await edition();
      await ledger.enqueue(sent.id, 'default', 'example.org', dailyAudience);
      const one = runOwner();
      const two = runOwner();
      await ledger.startRun(sent.id, one, { leaseMs: 10_000, exclusive: false });
      expect(await ledger.startRun(sent.id, two, { leaseMs: 10_000, exclusive: false })).toMatchObject({ started: true, senders: 2 });
      const mine = await ledger.reserve(sent.id, one, 3, new Date(), 0);
      const theirs = await ledger.reserve(sent.id, two, 10, new Date(), 0);
      expect(mine).toHaveLength(3);
      expect(theirs).toHaveLength(3);
      expect(mine.filter((row) => theirs.some((other) => other.subscriberId === row.subscriberId))).toEqual([]);
      await ledger.claim(sent.id, mine[0]!.subscriberId, 'default', one);
      expect(await ledger.recoverStale(sent.id)).toEqual({ inFlight: 0, reserved: 0 }); // one is alive
      expect(await ledger.heldByOthers(sent.id, two)).toMatchObject({ rows: 3, leaseEndsAt: expect.any(Date) });
      await ledger.renewRun(sent.id, one, -1000); // …until its lease lapses (set in the past: no waiting on the clock)
      expect(await ledger.recoverStale(sent.id)).toEqual({ inFlight: 1, reserved: 2 });
      expect((await ledger.heldByOthers(sent.id, two)).rows).toBe(0);
      expect((await ledger.reserve(sent.id, two, 10, new Date(), 0)).map((row) => row.subscriberId).sort()).toEqual(mine.map((row) => row.subscriberId).sort());
    });
  });

  describe('bounce events', () => {
    /** Sends `day`'s edition to everyone on the default list (sent_at: now). Days ten apart: the sample feed repeats its papers. */
    const deliver = async (day: string) => {
      const sent = await edition(day);
      await stores.ledger.enqueue(sent.id, 'default', 'example.org', dailyAudience);
      const owner = runOwner();
      await stores.ledger.startRun(sent.id, owner, { leaseMs: 10_000, exclusive: true });
      for (const row of await stores.ledger.reserve(sent.id, owner, 100, new Date(), 0)) {
        await stores.ledger.claim(sent.id, row.subscriberId, 'default', owner);
        await stores.ledger.markSent(sent.id, row.subscriberId, owner);
      }
      return sent.id;
    };
    const soft = (key: string, subscriberId: number, editionId: number | undefined, at: Date): BounceEvent => ({
      dedupeKey: key,
      subscriberId,
      ...(editionId !== undefined ? { editionId } : {}),
      kind: 'bounce',
      email: 'a@example.org',
      status: '4.2.2',
      hard: false,
      reason: 'mailbox full',
      source: 'ingest',
      action: 'counted',
      receivedAt: at.toISOString(),
    });
    const later = (seconds: number) => new Date(Date.now() + seconds * 1000);
    const softCount = async (id: number, since: Date, edition?: number) => (await stores.bounces.softBounces(id, since, edition)).messages;

    it('stores each report once, and lists them newest first, by kind and time', async () => {
      await stores.subscribers.upsertMany([person('a@example.org')]);
      const id = await idOf('a@example.org');
      expect(await stores.bounces.record(soft('<r1@mx>|a@example.org', id, undefined, new Date('2026-08-01T10:00:00Z')))).toBe('new');
      expect(await stores.bounces.record(soft('<r1@mx>|a@example.org', id, undefined, new Date('2026-08-01T11:00:00Z')))).toBe('duplicate');
      expect(await stores.bounces.has('<r1@mx>|a@example.org')).toBe(true);
      expect(await stores.bounces.has('<r2@mx>|a@example.org')).toBe(false);
      await stores.bounces.record({
        dedupeKey: '<c1@fbl>|complaint',
        subscriberId: id,
        kind: 'complaint',
        source: 'imap',
        action: 'complained',
        receivedAt: '2026-08-02T09:00:00.000Z',
      });
      const all = await stores.bounces.list({ limit: 10 });
      expect(all.map((event) => [event.dedupeKey, event.kind, event.hard, event.receivedAt])).toEqual([
        ['<c1@fbl>|complaint', 'complaint', undefined, '2026-08-02T09:00:00.000Z'],
        ['<r1@mx>|a@example.org', 'bounce', false, '2026-08-01T10:00:00.000Z'],
      ]);
      expect((await stores.bounces.list({ limit: 10, kind: 'bounce' })).map((event) => event.dedupeKey)).toEqual(['<r1@mx>|a@example.org']);
      expect((await stores.bounces.list({ limit: 10, since: '2026-08-02T00:00:00Z' })).map((event) => event.kind)).toEqual(['complaint']);
    });

    it('counts soft bounces since the last delivery that got through, never the bounced one itself', async () => {
      await stores.subscribers.upsertMany([person('a@example.org')]);
      const id = await idOf('a@example.org');
      // Real time, in order: each send and each report a few milliseconds after the last.
      const moment = async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return new Date();
      };
      const first = await deliver('2026-03-02');
      expect(await softCount(id, new Date(0), first)).toBe(0);
      await stores.bounces.record(soft('k1', id, first, await moment()));
      await moment();
      // The second edition's bounce has not come back yet: its delivery is not a good one.
      const second = await deliver('2026-03-12');
      expect(await softCount(id, new Date(0), second)).toBe(1);
      expect(await softCount(id, new Date(0))).toBe(1); // edition unknown: the latest is the bounced one
      const between = await moment();
      await stores.bounces.record(soft('k2', id, second, await moment()));
      expect(await softCount(id, new Date(0))).toBe(2);
      expect(await softCount(id, between)).toBe(1); // the window
      await moment();
      // A third edition gets through; a fourth bounces: only that one counts.
      await deliver('2026-03-22');
      await moment();
      const fourth = await deliver('2026-04-01');
      expect(await softCount(id, new Date(0), fourth)).toBe(0);
      await stores.bounces.record(soft('k4', id, fourth, await moment()));
      expect(await softCount(id, new Date(0))).toBe(1);
    });

    it('counts a message once however many reports come back for it, and only reports that acted', async () => {
      await stores.subscribers.upsertMany([person('a@example.org')]);
      const id = await idOf('a@example.org');
      const moment = async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return new Date();
      };
      const first = await deliver('2026-05-02');
      await moment();
      const second = await deliver('2026-05-03');
      // Two soft failures of the second message (two MTAs, or a report ingested by two ways): one message.
      await stores.bounces.record(soft('m2a', id, second, await moment()));
      await stores.bounces.record(soft('m2b', id, second, await moment()));
      // Kept back or a mere delay warning: nothing counts.
      await stores.bounces.record({ ...soft('u1', id, first, await moment()), action: 'unverified' });
      await stores.bounces.record({ ...soft('d1', id, first, await moment()), action: 'delayed' });
      expect(await stores.bounces.softBounces(id, new Date(0), second)).toEqual({ messages: 1, thisMessage: true });
      expect(await stores.bounces.softBounces(id, new Date(0), first)).toEqual({ messages: 1, thisMessage: false });
    });

    it('keeps reports back for review: lists them by action, applies or dismisses each once', async () => {
      await stores.subscribers.upsertMany([person('a@example.org')]);
      const id = await idOf('a@example.org');
      await stores.bounces.record({ ...soft('w1', id, undefined, later(1)), action: 'unverified', evidence: 'address' });
      await stores.bounces.record({ ...soft('w2', id, undefined, later(2)), action: 'held', evidence: 'return-path' });
      await stores.bounces.record({ ...soft('w3', id, undefined, later(3)) });
      const waiting = await stores.bounces.list({ limit: 10, actions: ['unverified', 'held'] });
      expect(waiting.map((event) => [event.dedupeKey, event.action, event.evidence])).toEqual([
        ['w2', 'held', 'return-path'],
        ['w1', 'unverified', 'address'],
      ]);
      const [held, unverified] = waiting.map((event) => event.id) as [number, number];
      expect(await stores.bounces.review(unverified, 'counted', later(4).toISOString())).toBe(true);
      expect(await stores.bounces.review(unverified, 'dismissed', later(5).toISOString())).toBe(false); // not waiting any more
      expect((await stores.bounces.byIds([unverified, held, 999_999])).map((event) => [event.action, event.reviewedAt !== undefined])).toEqual([
        ['counted', true],
        ['held', false],
      ]);
      expect(await stores.bounces.editionActions(await deliver('2026-05-09'))).toEqual({ sent: 1, acted: 0, held: 0 });
      expect(await stores.bounces.actedWithoutEdition(new Date(0))).toBe(1); // the held one
    });

    it('takes a single-use token once until it is forgotten', async () => {
      const now = new Date();
      expect(await stores.bounces.firstUse('mailgun:t1', later(60), now)).toBe(true);
      expect(await stores.bounces.firstUse('mailgun:t1', later(60), now)).toBe(false);
      // Past its time it is forgotten (a timestamp that old is refused before it gets here anyway).
      expect(await stores.bounces.firstUse('mailgun:t1', later(120), later(61))).toBe(true);
    });

    it('gives each edition its readers who bounced or complained, next to those it was sent to', async () => {
      await stores.subscribers.upsertMany(['a', 'b', 'c', 'd'].map((name) => person(`${name}@example.org`)));
      const sent = await deliver('2026-03-02');
      const [a, b, c] = [await idOf('a@example.org'), await idOf('b@example.org'), await idOf('c@example.org')];
      await stores.bounces.record(soft('s1', a, sent, later(1)));
      await stores.bounces.record({ ...soft('s2', a, sent, later(2)) }); // the same reader twice: one reader
      await stores.bounces.record({ ...soft('h1', b, sent, later(3)), hard: true, status: '5.1.1' });
      await stores.bounces.record({
        dedupeKey: 'c1',
        subscriberId: c,
        editionId: sent,
        kind: 'complaint',
        source: 'webhook:ses',
        action: 'complained',
        receivedAt: later(4).toISOString(),
      });
      await stores.bounces.record({
        dedupeKey: 'o1',
        subscriberId: c,
        editionId: sent,
        kind: 'auto-reply',
        source: 'imap',
        action: 'none',
        receivedAt: later(5).toISOString(),
      });
      expect(await stores.bounces.feedback(sent)).toEqual({ sent: 4, bounces: 2, hardBounces: 1, complaints: 1 });
    });

    it('keeps the writes of a write batch, passes its failure on, and is writable after one', async () => {
      await stores.subscribers.upsertMany([person('a@example.org')]);
      const id = await idOf('a@example.org');
      expect(
        await stores.writeBatch(async () => {
          await stores.bounces.record(soft('b1', id, undefined, new Date()));
          await stores.subscribers.setStatus(id, 'bounced');
          return 'done';
        }),
      ).toBe('done');
      expect((await stores.subscribers.findById(id))!.status).toBe('bounced');
      expect(await stores.bounces.has('b1')).toBe(true);
      await expect(
        stores.writeBatch(async () => {
          throw new Error('a reader of the batch failed');
        }),
      ).rejects.toThrow('a reader of the batch failed');
      await stores.bounces.record(soft('b2', id, undefined, new Date()));
      expect(await stores.bounces.has('b2')).toBe(true);
    });

    it("forgets a reader's events with the reader", async () => {
      await stores.subscribers.upsertMany([person('a@example.org')]);
      const id = await idOf('a@example.org');
      await stores.bounces.record(soft('k1', id, undefined, later(1)));
      await stores.subscribers.remove(id);
      expect(await stores.bounces.list({ limit: 10 })).toEqual([]);
    });
  });

  it('sends an edition end to end (the sender does not know the backend)', async () => {
    await stores.subscribers.upsertMany(Array.from({ length: 5 }, (_, i) => person(`s${i}@example.org`)));
    const sent = await edition();
    const { transport, sent: messages } = recordingTransport();
    const summary = await sendEdition(sent, {
      config: world.config,
      ledger: stores.ledger,
      editions: stores.editions,
      subscribers: stores.subscribers,
      transport,
      signer: new TokenSigner('contract-test-secret-0123456789'),
      exclusive: !stores.sharedSending,
    });
    expect(summary).toMatchObject({ sent: 5, complete: true, queued: 5 });
    expect(new Set(messages.map((message) => message.envelope.to)).size).toBe(5);
    expect(messages.every((message) => message.messageId.endsWith(`@${senderDomain(world.config)}>`))).toBe(true);
    expect(stores.kind).toBe(backend === 'SQLite' ? 'sqlite' : 'postgres');
  });
});
