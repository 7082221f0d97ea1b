import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSubscriberStore, type SqliteSubscriberStore, type StandaloneSubscriberStore } from '../../src/stores/sqlite/index.js';
import { eachSubscriber, exportColumns, exportCsv, importCsv, type Subscriber } from '../../src/subscribers/index.js';
import { tempDir } from '../helpers/files.js';
import { subscriberInput as input } from '../helpers/subscribers.js';
import { collector } from '../helpers/streams.js';

const tmp = tempDir('paperboy-export-');
afterAll(() => tmp.remove());

let store: StandaloneSubscriberStore;
let run = 0;
const openFresh = () => openSubscriberStore(join(tmp.path, `data-${++run}`));
beforeEach(() => {
  store = openFresh();
});
afterEach(() => store.close());

async function exportText(from: SqliteSubscriberStore, filter: Parameters<typeof exportCsv>[1]): Promise<{ rows: number; text: string }> {
  const out = collector();
  const rows = await exportCsv(from, filter, out.stream);
  return { rows, text: out.text() };
}

/** Five people: two lists, four statuses, unicode names and a comma that needs quoting. */
async function seed(target: SqliteSubscriberStore): Promise<void> {
  await target.createList('papers');
  await target.upsertMany([
    input('ada@example.com', { name: 'Zoë Ångström 李雷', topics: ['nlp', 'vision'], lists: ['default', 'papers'] }),
    input('bob@example.com', { name: 'Bob, Jr.', lists: ['papers'], source: 'web' }),
    input('pat@example.com', { name: 'Pat', status: 'pending' }),
    input('gone@example.com', { name: 'Gone', status: 'unsubscribed', topics: ['robotics'] }),
    input('bounce@example.com', { name: 'Bounce', status: 'bounced', lists: ['papers'] }),
  ]);
}

const essentials = (s: Subscriber) => ({ email: s.email, name: s.name, status: s.status, topics: s.preferences.topics, lists: s.lists });

describe('exportCsv', () => {
  it('writes a header row and one row per subscriber, topics and lists joined by ";"', async () => {
    await seed(store);
    const { rows, text } = await exportText(store, {});
    expect(rows).toBe(5);
    const lines = text.split('\n');
    expect(lines[0]).toBe(exportColumns.join(','));
    expect(lines).toHaveLength(7); // header, 5 rows, trailing newline
    const ada = (await store.findByEmail('ada@example.com'))!;
    expect(lines[1]).toBe(`ada@example.com,Zoë Ångström 李雷,active,nlp;vision,default;papers,cli,${ada.createdAt},${ada.confirmedAt},,daily,`);
    expect(lines[2]).toMatch(/^bob@example\.com,"Bob, Jr\.",active,,papers,web,/);
    const records = parse(text, { columns: true }) as Record<string, string>[];
    expect(records.map((r) => [r.email, r.status, r.topics, r.lists])).toEqual([
      ['ada@example.com', 'active', 'nlp;vision', 'default;papers'],
      ['bob@example.com', 'active', '', 'papers'],
      ['pat@example.com', 'pending', '', 'default'],
      ['gone@example.com', 'unsubscribed', 'robotics', 'default'],
      ['bounce@example.com', 'bounced', '', 'papers'],
    ]);
    expect(records[3]!.unsubscribed_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(records[2]!.confirmed_at).toBe('');
  });

  it('exports only the subscribers matching the list and status filter', async () => {
    await seed(store);
    const emails = async (filter: Parameters<typeof exportCsv>[1]) => {
      const { rows, text } = await exportText(store, filter);
      const records = parse(text, { columns: true }) as Record<string, string>[];
      expect(records).toHaveLength(rows);
      return records.map((r) => r.email);
    };
    expect(await emails({ list: 'papers' })).toEqual(['ada@example.com', 'bob@example.com', 'bounce@example.com']);
    expect(await emails({ list: 'papers', status: 'active' })).toEqual(['ada@example.com', 'bob@example.com']);
    expect(await emails({ status: 'pending' })).toEqual(['pat@example.com']);
    expect(await emails({ status: 'complained' })).toEqual([]);
    expect((await exportText(store, { status: 'complained' })).text).toBe(`${exportColumns.join(',')}\n`);
  });

  it('round-trips through importCsv into a fresh store', async () => {
    await seed(store);
    const { text } = await exportText(store, {});
    const fresh = openFresh();
    try {
      await fresh.createList('papers');
      const summary = await importCsv(fresh, Readable.from([text]), { list: 'default' });
      expect(summary).toMatchObject({ rows: 5, added: 5, invalid: 0 });
      const all = async (s: SqliteSubscriberStore) => (await s.page({}, 0, 100)).map(essentials);
      expect(await all(fresh)).toEqual(await all(store));
      expect((await fresh.findByEmail('gone@example.com'))!.status).toBe('unsubscribed');
    } finally {
      fresh.close();
    }
  });
});

describe('eachSubscriber', () => {
  it('pages through every subscriber exactly once, in id order', async () => {
    await seed(store);
    const everyone = (await store.page({}, 0, 100)).map((s) => s.id);
    for (const pageSize of [1, 2, 5, 7]) {
      const seen: number[] = [];
      for await (const subscriber of eachSubscriber(store, {}, pageSize)) seen.push(subscriber.id);
      expect(seen).toEqual(everyone);
    }
    expect(everyone).toHaveLength(5);
    const papers: string[] = [];
    for await (const subscriber of eachSubscriber(store, { list: 'papers' }, 2)) papers.push(subscriber.email);
    expect(papers).toEqual(['ada@example.com', 'bob@example.com', 'bounce@example.com']);
  });
});
