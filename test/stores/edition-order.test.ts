/**
 * The order of editions, newest first, on both backends: a weekly edition ("2026-W34") sits where
 * its ISO week ends (its Sunday), not where its key sorts as text (above every date of its year).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Stores } from '../../src/stores/index.js';
import { type StoreWorld, storeBackends } from '../helpers/store-worlds.js';

const backends = storeBackends({ source: 'sample' });

/**
 * Newest first. Sundays of the weeks: 2025-W52 → 2025-12-28, 2026-W01 → 2026-01-04 (the week
 * starts Monday 2025-12-29), 2026-W34 → 2026-08-23, 2026-W53 → 2027-01-03. A weekly edition comes
 * before the daily one of its Sunday.
 */
const newestFirst = [
  '2027-01-04',
  '2026-W53',
  '2026-12-31',
  '2026-09-01',
  '2026-08-24',
  '2026-W34',
  '2026-08-23',
  '2026-08-17',
  '2026-01-05',
  '2026-W01',
  '2026-01-04',
  '2025-12-29',
  '2025-W52',
  '2025-12-28',
];

/** Created out of order, so neither the id nor the insertion order can give the answer. */
const createOrder = [8, 3, 12, 0, 5, 10, 1, 13, 6, 2, 11, 4, 9, 7].map((index) => newestFirst[index]!);

describe.each(backends)('edition order on %s', (_backend, open) => {
  let world: StoreWorld;
  let stores: Stores;
  beforeEach(async () => {
    world = await open();
    stores = world.stores;
    await stores.subscribers.createList('team');
  });
  afterEach(async () => world.close());

  const templates = { html: '', text: '', subject: '', preheader: '' };
  const create = (day: string, list = 'default') =>
    stores.editions.create({ list, day, source: 'test', papers: [], templates, templatesVersion: 'test' }).then((stored) => stored.edition);

  it('archiveDays puts each weekly edition at the end of its week, and limits after ordering', async () => {
    expect(createOrder.slice().sort()).toEqual(newestFirst.slice().sort());
    for (const day of createOrder) await create(day);
    expect((await stores.editions.archiveDays(50)).map((entry) => entry.day)).toEqual(newestFirst);
    expect((await stores.editions.archiveDays(3)).map((entry) => entry.day)).toEqual(newestFirst.slice(0, 3));
  });

  it('archiveDays keeps one entry per key, the newest edition of it', async () => {
    await create('2026-W34');
    await create('2026-08-23');
    const team = await create('2026-W34', 'team');
    const days = await stores.editions.archiveDays(10);
    expect(days.map((entry) => [entry.day, entry.editionId])).toEqual([
      ['2026-W34', team.id],
      ['2026-08-23', expect.any(Number)],
    ]);
  });

  it('list orders the same way, then by list name', async () => {
    for (const day of createOrder) await create(day);
    await create('2026-W34', 'team');
    await create('2026-08-23', 'team');
    const listed = await stores.editions.list({ limit: 100 });
    const expected = newestFirst.flatMap((day) =>
      day === '2026-W34' || day === '2026-08-23'
        ? [
            [day, 'default'],
            [day, 'team'],
          ]
        : [[day, 'default']],
    );
    expect(listed.map((row) => [row.day, row.list])).toEqual(expected);
    expect((await stores.editions.list({ list: 'team' })).map((row) => row.day)).toEqual(['2026-W34', '2026-08-23']);
    expect((await stores.editions.list({ limit: 2 })).map((row) => row.day)).toEqual(['2027-01-04', '2026-W53']);
  });
});
