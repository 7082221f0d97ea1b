import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PaperboyError } from '../../src/errors.js';
import { migrations, openDatabase, openSubscriberStore, type StandaloneSubscriberStore } from '../../src/stores/sqlite/index.js';
import type { SubscriberInput } from '../../src/subscribers/index.js';
import { tempDir } from '../helpers/files.js';
import { subscriberInput as person } from '../helpers/subscribers.js';

const tmp = tempDir('paperboy-store-');
afterAll(() => tmp.remove());

let dataDir: string;
let store: StandaloneSubscriberStore;
let run = 0;
beforeEach(() => {
  dataDir = join(tmp.path, `data-${++run}`);
  store = openSubscriberStore(dataDir);
});
afterEach(() => store.close());

async function add(email: string, fields: Partial<SubscriberInput> = {}): Promise<number> {
  expect(await store.upsertMany([person(email, fields)])).toEqual(['added']);
  return (await store.findByEmail(email))!.id;
}

async function expectInputError(promise: Promise<unknown>, message: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(PaperboyError);
  expect(error).toMatchObject({ code: 'INPUT', message: expect.stringMatching(message) });
}

const emailsOf = (subscribers: { email: string }[]) => subscribers.map((s) => s.email);

describe('upsertMany', () => {
  it('adds, then leaves the same input unchanged, then updates a new name', async () => {
    expect(await store.upsertMany([person('ada@example.com', { name: 'Ada', topics: ['nlp'] })])).toEqual(['added']);
    expect(await store.upsertMany([person('ada@example.com', { name: 'Ada', topics: ['nlp'] })])).toEqual(['unchanged']);
    expect(await store.upsertMany([person('ada@example.com', { name: 'Ada Lovelace' })])).toEqual(['updated']);
    const ada = await store.findByEmail('ada@example.com');
    expect(ada).toMatchObject({ name: 'Ada Lovelace', status: 'active', source: 'cli', lists: ['default'], preferences: { topics: ['nlp'] } });
  });

  it('confirms a pending subscriber when the input is active', async () => {
    const id = await add('pat@example.com', { status: 'pending' });
    expect((await store.findById(id))!.confirmedAt).toBeUndefined();
    expect(await store.upsertMany([person('pat@example.com')])).toEqual(['updated']);
    const pat = await store.findById(id);
    expect(pat!.status).toBe('active');
    expect(pat!.confirmedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('joining another list is an update', async () => {
    await store.createList('papers');
    const id = await add('ada@example.com');
    expect(await store.upsertMany([person('ada@example.com', { lists: ['papers'] })])).toEqual(['updated']);
    expect((await store.findById(id))!.lists).toEqual(['default', 'papers']);
  });

  it.each(['unsubscribed', 'bounced', 'complained'] as const)('keeps someone %s suppressed unless resubscribe is asked', async (status) => {
    const id = await add('gone@example.com');
    await store.setStatus(id, status);
    expect(await store.upsertMany([person('gone@example.com')])).toEqual(['kept-suppressed']);
    expect((await store.findById(id))!.status).toBe(status);
    expect(await store.upsertMany([person('gone@example.com')], { resubscribe: true })).toEqual(['resubscribed']);
    const back = await store.findById(id);
    expect(back!.status).toBe('active');
    expect(back!.unsubscribedAt).toBeUndefined();
  });

  it('merges inputs in order within one call', async () => {
    const outcomes = await store.upsertMany([person('a@example.com'), person('a@example.com'), person('a@example.com', { name: 'A' })]);
    expect(outcomes).toEqual(['added', 'unchanged', 'updated']);
  });

  it('throws INPUT for an unknown list and writes nothing from that call', async () => {
    await expectInputError(store.upsertMany([person('a@example.com'), person('b@example.com', { lists: ['nope'] })]), /no list named "nope"/);
    expect(await store.count({})).toBe(0);
  });
});

describe('unsubscribe', () => {
  it('everywhere when no list is given', async () => {
    const id = await add('ada@example.com');
    await store.unsubscribe(id);
    const ada = await store.findById(id);
    expect(ada!.status).toBe('unsubscribed');
    expect(ada!.unsubscribedAt).toBeDefined();
    expect(await store.count({ status: 'active' })).toBe(0);
  });

  it('from one list only, staying active on the others', async () => {
    await store.createList('papers');
    const id = await add('ada@example.com', { lists: ['default', 'papers'] });
    const other = await add('bob@example.com', { lists: ['papers'] });
    await store.unsubscribe(id, 'papers');
    expect(emailsOf(await store.page({ list: 'papers', status: 'active' }, 0, 10))).toEqual(['bob@example.com']);
    expect(await store.count({ list: 'papers', status: 'active' })).toBe(1);
    expect(emailsOf(await store.page({ list: 'papers', status: 'unsubscribed' }, 0, 10))).toEqual(['ada@example.com']);
    expect(emailsOf(await store.page({ list: 'default', status: 'active' }, 0, 10))).toEqual(['ada@example.com']);
    expect(await store.findById(id)).toMatchObject({ status: 'active', lists: ['default'] });
    expect((await store.findById(other))!.lists).toEqual(['papers']);
  });

  it('a list-level unsubscribe is not undone by an import-style upsert without resubscribe', async () => {
    await store.createList('papers');
    const id = await add('ada@example.com', { lists: ['default', 'papers'] });
    await store.unsubscribe(id, 'papers');
    expect(await store.upsertMany([person('ada@example.com', { lists: ['papers'] })])).toEqual(['unchanged']);
    expect((await store.findById(id))!.lists).toEqual(['default']);
    expect(await store.upsertMany([person('ada@example.com', { lists: ['papers'] })], { resubscribe: true })).toEqual(['updated']);
    expect((await store.findById(id))!.lists).toEqual(['default', 'papers']);
  });

  it('from a list the subscriber is not on throws INPUT', async () => {
    await store.createList('papers');
    const id = await add('ada@example.com');
    await expectInputError(store.unsubscribe(id, 'papers'), /not on the list "papers"/);
  });
});

describe('page and count', () => {
  it('pages in id order with afterId and limit, filtered by list and status', async () => {
    await store.createList('papers');
    const emails = ['a', 'b', 'c', 'd', 'e'].map((letter) => `${letter}@example.com`);
    const ids: number[] = [];
    for (const [index, email] of emails.entries()) {
      ids.push(await add(email, { lists: index % 2 === 0 ? ['papers'] : ['default'], status: index === 4 ? 'pending' : 'active' }));
    }
    expect(ids).toEqual([...ids].sort((x, y) => x - y));

    const first = await store.page({}, 0, 2);
    expect(emailsOf(first)).toEqual(emails.slice(0, 2));
    const second = await store.page({}, first.at(-1)!.id, 2);
    expect(emailsOf(second)).toEqual(emails.slice(2, 4));
    const third = await store.page({}, second.at(-1)!.id, 2);
    expect(emailsOf(third)).toEqual(emails.slice(4));
    expect(await store.page({}, third.at(-1)!.id, 2)).toEqual([]);
    expect(await store.count({})).toBe(5);

    expect(emailsOf(await store.page({ list: 'papers' }, 0, 10))).toEqual(['a@example.com', 'c@example.com', 'e@example.com']);
    expect(await store.count({ list: 'papers' })).toBe(3);
    expect(emailsOf(await store.page({ list: 'papers', status: 'active' }, 0, 10))).toEqual(['a@example.com', 'c@example.com']);
    expect(await store.count({ list: 'papers', status: 'active' })).toBe(2);
    expect(emailsOf(await store.page({ status: 'pending' }, 0, 10))).toEqual(['e@example.com']);
    expect(await store.count({ status: 'pending' })).toBe(1);
    expect(emailsOf(await store.page({ list: 'default' }, ids[1]!, 10))).toEqual(['d@example.com']);
    expect(emailsOf(await store.page({ list: 'papers', status: 'active' }, ids[0]!, 10))).toEqual(['c@example.com']);
    expect(emailsOf(await store.page({ status: 'active' }, ids[1]!, 1))).toEqual(['c@example.com']);
    expect(emailsOf(await store.page({ status: 'active' }, ids[2]!, 10))).toEqual(['d@example.com']);
  });
});

describe('setStatus and setPreferences', () => {
  it('setStatus records when someone left and when they confirmed', async () => {
    const id = await add('ada@example.com', { status: 'pending' });
    await store.setStatus(id, 'bounced');
    expect(await store.findById(id)).toMatchObject({ status: 'bounced', unsubscribedAt: expect.any(String) });
    await store.setStatus(id, 'active');
    const ada = await store.findById(id);
    expect(ada).toMatchObject({ status: 'active', confirmedAt: expect.any(String) });
    expect(ada!.unsubscribedAt).toBeUndefined();
  });

  it('setPreferences stores topics and maxPapers, and replaces the lists when given', async () => {
    await store.createList('papers');
    await store.createList('vision');
    const id = await add('ada@example.com', { lists: ['default', 'papers'], topics: ['old'] });
    await store.setPreferences(id, { topics: ['nlp', 'robotics'], maxPapers: 3 });
    expect(await store.findById(id)).toMatchObject({ preferences: { topics: ['nlp', 'robotics'], maxPapers: 3 }, lists: ['default', 'papers'] });

    await store.setPreferences(id, { topics: [] }, ['papers', 'vision']);
    const ada = await store.findById(id);
    expect(ada!.preferences).toEqual({ topics: [] });
    expect(ada!.lists).toEqual(['papers', 'vision']);
    expect(await store.count({ list: 'default', status: 'active' })).toBe(0);
    expect(await store.count({ list: 'vision', status: 'active' })).toBe(1);
  });
});

describe('remove and lists', () => {
  it('remove deletes the subscriber and their memberships', async () => {
    await store.createList('papers');
    const id = await add('ada@example.com', { lists: ['default', 'papers'] });
    await add('bob@example.com');
    await store.remove(id);
    expect(await store.findById(id)).toBeUndefined();
    expect(await store.findByEmail('ada@example.com')).toBeUndefined();
    const counts = Object.fromEntries((await store.listLists()).map((list) => [list.name, list.memberCount]));
    expect(counts).toEqual({ default: 1, papers: 0 });
    const db = openDatabase(dataDir);
    try {
      expect(db.prepare('SELECT count(*) AS n FROM list_members WHERE subscriber_id = ?').get(id)).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it('createList refuses a duplicate; removeList refuses default and unknown lists', async () => {
    await store.createList('papers', 'Daily papers');
    await expectInputError(store.createList('papers'), /already exists/);
    await expectInputError(store.removeList('default'), /default list cannot be removed/);
    await expectInputError(store.removeList('nope'), /no list named "nope"/);
    expect(await store.hasList('papers')).toBe(true);
    expect((await store.listLists()).map((list) => [list.name, list.description])).toEqual([
      ['default', 'Everyone who subscribes'],
      ['papers', 'Daily papers'],
    ]);
  });

  it('removeList drops the memberships of that list', async () => {
    await store.createList('papers');
    const id = await add('ada@example.com', { lists: ['default', 'papers'] });
    await store.removeList('papers');
    expect(await store.hasList('papers')).toBe(false);
    expect((await store.findById(id))!.lists).toEqual(['default']);
  });

  it('listLists counts active members whose subscriber status is active', async () => {
    await add('ada@example.com');
    const bob = await add('bob@example.com');
    await add('pat@example.com', { status: 'pending' });
    await store.setStatus(bob, 'complained');
    expect(await store.listLists()).toMatchObject([{ name: 'default', memberCount: 3, activeCount: 1 }]);
  });
});

describe('persistence and rehearse', () => {
  it('reopening the data directory keeps the data and migrates only once', async () => {
    await store.createList('papers');
    const id = await add('ada@example.com', { name: 'Ada', lists: ['papers'] });
    store.close();
    store = openSubscriberStore(dataDir);
    expect(await store.findById(id)).toMatchObject({ email: 'ada@example.com', name: 'Ada', lists: ['papers'] });
    expect((await store.listLists()).map((list) => list.name)).toEqual(['default', 'papers']);
    const db = openDatabase(dataDir);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
      expect(db.prepare("SELECT count(*) AS n FROM lists WHERE name = 'default'").get()).toEqual({ n: 1 });
    } finally {
      db.close();
    }
  });

  it('marks the demo readers a store seeded before the demo had a mark, and no one else', async () => {
    const dir = tempDir('paperboy-demo-migration-');
    try {
      const old = openDatabase(dir.path, { migrate: false });
      const before = migrations.findIndex((step) => typeof step === 'string' && step.includes('ADD COLUMN demo')); // the store before the mark
      for (const step of migrations.slice(0, before))
        if (typeof step === 'string') old.exec(step);
        else step(old);
      old.pragma(`user_version = ${before}`);
      const insert = old.prepare(
        `INSERT INTO subscribers (email, email_key, name, status, source, topics, created_at) VALUES (?, ?, '', 'active', ?, '[]', '2026-11-01')`,
      );
      insert.run('ada@example.org', 'ada@example.org', 'import');
      insert.run('grace@example.org', 'grace@example.org', 'cli');
      insert.run('reader@news.test', 'reader@news.test', 'import');
      old.close();
      const migrated = openSubscriberStore(dir.path);
      expect((await migrated.page({ demo: true }, 0, 10)).map((subscriber) => subscriber.email)).toEqual(['ada@example.org']);
      migrated.close();
    } finally {
      dir.remove();
    }
  });

  it('rehearse runs the work and then rolls back its writes', async () => {
    await add('keep@example.com');
    const result = await store.rehearse(async () => {
      await store.upsertMany([person('ada@example.com'), person('keep@example.com', { name: 'Changed' })]);
      await store.createList('papers');
      return store.count({});
    });
    expect(result).toBe(2);
    expect(await store.count({})).toBe(1);
    expect((await store.findByEmail('keep@example.com'))!.name).toBe('');
    expect(await store.hasList('papers')).toBe(false);
  });

  it('rehearse rolls back and rethrows when the work fails', async () => {
    await expect(
      store.rehearse(async () => {
        await store.upsertMany([person('ada@example.com')]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.count({})).toBe(0);
    expect(await store.upsertMany([person('bob@example.com')])).toEqual(['added']);
  });
});
