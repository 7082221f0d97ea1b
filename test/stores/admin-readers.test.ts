/**
 * The admin dashboard's readers (src/admin/queries.ts), one behaviour on both backends: readers
 * are added by the CLI, an import and the web form, confirmed, unsubscribed, bounced and
 * complained through the store's own methods on known days (the clock moved with fake timers;
 * the triggers take each change's time from the row), and the dashboard's days, flows, counts
 * and a reader's story must be exactly what happened.
 */
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StatusCounts } from '../../src/admin/index.js';
import type { Stores } from '../../src/stores/index.js';
import { importCsv, subscriberStatuses } from '../../src/subscribers/index.js';
import { type StoreWorld, storeBackends } from '../helpers/store-worlds.js';
import { subscriberInput } from '../helpers/subscribers.js';

const person = subscriberInput;
const readers = (counts: Partial<StatusCounts>): StatusCounts => ({ pending: 0, active: 0, unsubscribed: 0, bounced: 0, complained: 0, ...counts });

describe.each(storeBackends())('the admin queries on %s: readers', (_backend, open) => {
  let world: StoreWorld;
  let stores: Stores;
  beforeEach(async () => {
    world = await open();
    stores = world.stores;
  });
  afterEach(async () => {
    vi.useRealTimers();
    await world.close();
  });

  const idOf = async (email: string) => (await stores.subscribers.findByEmail(email))!.id;
  const at = (iso: string) => vi.setSystemTime(new Date(iso));
  /** Readers per status as the store counts them, row by row. */
  const counted = async () => {
    const counts = readers({});
    for (const status of subscriberStatuses) counts[status] = await stores.subscribers.count({ status });
    return counts;
  };

  it('counts readers per status at the end of each day, who joined and left, and now, as the days went', async () => {
    const { subscribers } = stores;
    vi.useFakeTimers({ toFake: ['Date'] });
    at('2026-02-20T08:00:00Z');
    await subscribers.upsertMany([person('old@example.org')]); // before the window: the first day starts with them
    at('2026-03-01T09:00:00Z');
    await importCsv(subscribers, Readable.from('email,name\na@example.org,A\nb@example.org,B\nc@example.org,C\n'), { list: 'default' });
    await subscribers.upsertMany([person('d@example.net')]);
    at('2026-03-02T10:00:00Z');
    await subscribers.upsertMany([
      person('e@example.org', { status: 'pending', source: 'web' }),
      person('f@example.org', { status: 'pending', source: 'web' }),
    ]);
    at('2026-03-03T11:00:00Z');
    await subscribers.setStatus(await idOf('e@example.org'), 'active'); // the confirm link
    await subscribers.unsubscribe(await idOf('a@example.org'));
    at('2026-03-04T23:59:59Z');
    await subscribers.setStatus(await idOf('b@example.org'), 'bounced');
    await subscribers.setStatus(await idOf('c@example.org'), 'complained');
    await subscribers.unsubscribe(await idOf('c@example.org'), 'default'); // as a complaint does: the list too, the status stays
    vi.useRealTimers();

    const overview = await stores.adminQueries.overview({ days: 7, editions: 5, now: new Date('2026-03-06T12:00:00Z') });
    const after4th = readers({ active: 3, pending: 1, unsubscribed: 1, bounced: 1, complained: 1 });
    expect(overview.days).toEqual([
      { day: '2026-02-28', counts: readers({ active: 1 }) },
      { day: '2026-03-01', counts: readers({ active: 5 }) },
      { day: '2026-03-02', counts: readers({ active: 5, pending: 2 }) },
      { day: '2026-03-03', counts: readers({ active: 5, pending: 1, unsubscribed: 1 }) },
      { day: '2026-03-04', counts: after4th },
      { day: '2026-03-05', counts: after4th },
      { day: '2026-03-06', counts: after4th },
    ]);
    expect(overview.flows.map(({ day, joined, lost }) => [day.slice(5), joined, lost])).toEqual([
      ['02-28', 0, 0],
      ['03-01', 4, 0],
      ['03-02', 0, 0],
      ['03-03', 1, 1],
      ['03-04', 0, 2],
      ['03-05', 0, 0],
      ['03-06', 0, 0],
    ]);
    expect(overview.now).toEqual(after4th);
    expect(overview.now).toEqual(await counted());
    expect(overview.editions).toEqual([]);
    expect(overview.complaintRate).toEqual({ last30Days: 0, complaints: 0, sent: 0 });

    // A day in the window before anything happened, and a window that ends before the changes: the changes after it count towards now only.
    const earlier = await stores.adminQueries.overview({ days: 2, editions: 0, now: new Date('2026-03-02T00:00:00Z') });
    expect(earlier.days).toEqual([
      { day: '2026-03-01', counts: readers({ active: 5 }) },
      { day: '2026-03-02', counts: readers({ active: 5, pending: 2 }) },
    ]);
    expect(earlier.now).toEqual(after4th);
  });

  it('counts a removal, a resubscription and a reader added and confirmed in one batch on the day they happen', async () => {
    const { subscribers } = stores;
    await subscribers.upsertMany([person('a@example.org'), person('b@example.org'), person('c@example.org', { status: 'pending', source: 'web' })]);
    expect(await subscribers.upsertMany([person('d@example.org', { status: 'pending', source: 'web' }), person('D@example.org')])).toEqual([
      'added',
      'updated',
    ]);
    await subscribers.unsubscribe(await idOf('a@example.org'));
    expect(await subscribers.upsertMany([person('a@example.org')], { resubscribe: true })).toEqual(['resubscribed']);
    await subscribers.remove(await idOf('b@example.org'));
    await subscribers.remove(await idOf('c@example.org'));
    const overview = await stores.adminQueries.overview({ days: 1, editions: 5, now: new Date() });
    expect(overview.now).toEqual(readers({ active: 2 }));
    expect(overview.now).toEqual(await counted());
    expect(overview.days).toEqual([{ day: new Date().toISOString().slice(0, 10), counts: readers({ active: 2 }) }]);
    expect(overview.flows[0]).toMatchObject({ joined: 4, lost: 2 }); // a, b added, d confirmed, a back; a left, b removed (c was pending)
  });

  it("tells a reader's story: added, confirmed, unsubscribed, back, bounced, with the reports about them", async () => {
    const { subscribers } = stores;
    vi.useFakeTimers({ toFake: ['Date'] });
    at('2026-03-01T09:00:00Z');
    await subscribers.upsertMany([person('Ada@Example.org', { status: 'pending', source: 'web', name: 'Ada' })]);
    const id = await idOf('ada@example.org');
    at('2026-03-01T09:05:00Z');
    await subscribers.setStatus(id, 'active');
    at('2026-03-05T18:00:00Z');
    await subscribers.unsubscribe(id);
    vi.useRealTimers();
    // Back and then bounced now: a resubscription records no time of its own in the row, so it takes the database's.
    expect(await subscribers.upsertMany([person('ada@example.org', { source: 'web', name: 'Ada' })], { resubscribe: true })).toEqual(['resubscribed']);
    await subscribers.setStatus(id, 'bounced');
    await stores.bounces.record({
      dedupeKey: '<dsn1@mx>|ada@example.org',
      subscriberId: id,
      kind: 'bounce',
      email: 'ada@example.org',
      status: '5.1.1',
      hard: true,
      reason: '550 5.1.1 No such user',
      source: 'ingest',
      action: 'bounced',
      evidence: 'return-path',
      receivedAt: new Date().toISOString(),
    });

    const story = (await stores.adminQueries.reader('ADA@example.org'))!;
    expect(story.reader).toMatchObject({ id, email: 'Ada@Example.org', name: 'Ada', status: 'bounced', source: 'web' });
    expect(story.history.map(({ status, from, reason }) => [status, from, reason])).toEqual([
      ['pending', undefined, 'added (web)'],
      ['active', 'pending', 'confirmed'],
      ['unsubscribed', 'active', 'unsubscribed'],
      ['active', 'unsubscribed', 'resubscribed'],
      ['bounced', 'active', 'bounced'],
    ]);
    expect(story.history.slice(0, 3).map((change) => change.at)).toEqual(['2026-03-01T09:00:00.000Z', '2026-03-01T09:05:00.000Z', '2026-03-05T18:00:00.000Z']);
    const times = story.history.map((change) => change.at);
    expect([...times].sort()).toEqual(times);
    expect(story.reports.map(({ kind, action, reason }) => [kind, action, reason])).toEqual([['bounce', 'bounced', '550 5.1.1 No such user']]);
    expect(story.editions).toEqual([]);
    expect(await stores.adminQueries.reader('nobody@example.org')).toBeUndefined();
  });

  it('tells the story of a reader who never changed: their status since they were added', async () => {
    await stores.subscribers.upsertMany([person('bo@example.org', { source: 'import' })]);
    const story = (await stores.adminQueries.reader('bo@example.org'))!;
    expect(story.history).toEqual([{ at: story.reader.createdAt, status: 'active', reason: 'added (import)' }]);
  });
});
