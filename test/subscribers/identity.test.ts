import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseFileName, migrations, openDatabase, openSubscriberStore } from '../../src/stores/sqlite/index.js';
import { runCli, tempDir } from '../helpers/cli.js';

const tmp = tempDir('paperboy-identity-');
afterAll(tmp.remove);

describe('one mailbox is one subscriber, whatever the case of its local part', () => {
  it('subscribers add Ada@Example.org after ada@example.org reports the existing subscriber', async () => {
    const data = join(tmp.path, 'cli');
    expect((await runCli(['--data-dir', data, 'subscribers', 'add', 'ada@example.org', '--confirmed'])).code).toBe(0);
    const again = await runCli(['--data-dir', data, 'subscribers', 'add', 'Ada@Example.org', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ outcome: 'unchanged', subscriber: { email: 'ada@example.org', status: 'active' } });
    const shown = await runCli(['--data-dir', data, 'subscribers', 'show', 'ADA@EXAMPLE.ORG', '--json']);
    expect(JSON.parse(shown.stdout).email).toBe('ada@example.org');
    const all = JSON.parse((await runCli(['--data-dir', data, 'subscribers', 'list', '--json'])).stdout);
    expect(all).toHaveLength(1);
  });

  it('a CSV with BOB@example.com and bob@example.com gives one subscriber, spelt as first given', async () => {
    const dir = join(tmp.path, 'csv');
    mkdirSync(dir);
    writeFileSync(join(dir, 'people.csv'), 'email,name\nBOB@example.com,Bob\nbob@example.com,Bobby\n');
    const result = await runCli(['--data-dir', join(dir, 'data'), 'subscribers', 'import', join(dir, 'people.csv'), '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ rows: 2, added: 1, updated: 1, invalid: 0 });
    const all = JSON.parse((await runCli(['--data-dir', join(dir, 'data'), 'subscribers', 'list', '--json'])).stdout);
    expect(all.map((s: { email: string; name: string }) => [s.email, s.name])).toEqual([['BOB@example.com', 'Bobby']]);
  });

  it('folds non-ASCII local parts too (SQLite lower() alone would not)', async () => {
    const store = openSubscriberStore(join(tmp.path, 'unicode'));
    try {
      await store.upsertMany([{ email: 'ÉLODIE@example.org', status: 'active', source: 'cli', lists: ['default'] }]);
      expect((await store.findByEmail('élodie@example.org'))?.email).toBe('ÉLODIE@example.org');
      expect(await store.upsertMany([{ email: 'Élodie@example.org', status: 'active', source: 'cli', lists: ['default'] }])).toEqual(['unchanged']);
      expect(await store.count({})).toBe(1);
    } finally {
      store.close();
    }
  });
});

describe('migration 4 merges the case-duplicates of a store made by the previous schema', () => {
  it('keeps the strongest status, moves lists and the ledger to the survivor, sends nobody anything twice', () => {
    const dataDir = join(tmp.path, 'old-store');
    mkdirSync(dataDir);
    // A store exactly as the previous release left it: migrations 1–3 only.
    const old = new Database(join(dataDir, databaseFileName));
    for (const step of migrations.slice(0, 3)) old.exec(step as string);
    old.pragma('user_version = 3');
    const at = '2026-08-01T00:00:00.000Z';
    old.exec(`INSERT INTO lists (name, created_at) VALUES ('team', '${at}')`);
    const add = old.prepare(`INSERT INTO subscribers (id, email, name, status, source, created_at, last_sent_at) VALUES (?, ?, ?, ?, 'web', '${at}', ?)`);
    add.run(1, 'carol@example.org', 'Carol', 'active', '2026-08-20T07:00:00.000Z');
    add.run(2, 'CAROL@example.org', 'Stranger', 'pending', '2026-08-21T07:00:00.000Z');
    add.run(3, 'Carol@example.org', '', 'pending', null);
    add.run(4, 'bounced@example.org', '', 'bounced', null);
    add.run(5, 'BOUNCED@example.org', '', 'active', null);
    add.run(6, 'Dave@example.org', '', 'unsubscribed', null);
    add.run(7, 'dave@example.org', '', 'complained', null);
    add.run(8, 'erin@example.org', '', 'active', null);
    const member = old.prepare(
      `INSERT INTO list_members (list_id, subscriber_id, status, added_at) VALUES ((SELECT id FROM lists WHERE name = ?), ?, ?, '${at}')`,
    );
    member.run('default', 1, 'active');
    member.run('default', 2, 'active');
    member.run('team', 2, 'active');
    member.run('default', 5, 'active');
    member.run('default', 8, 'active');
    old.exec(
      `INSERT INTO editions (id, list_id, day, source, papers, templates, templates_version, created_at) VALUES (1, 1, '2026-08-21', 'sample', '[]', '{}', 'v', '${at}')`,
    );
    const delivery = old.prepare(`INSERT INTO deliveries (edition_id, subscriber_id, status, message_id, sent_at) VALUES (1, ?, ?, ?, ?)`);
    delivery.run(1, 'pending', '<a@x>', null);
    delivery.run(2, 'sent', '<b@x>', '2026-08-21T07:00:00.000Z');
    delivery.run(5, 'sent', '<c@x>', '2026-08-21T07:00:00.000Z');
    old.close();

    const db = openDatabase(dataDir);
    try {
      const people = db.prepare('SELECT id, email, email_key, status, name, last_sent_at FROM subscribers ORDER BY id').all();
      expect(people).toEqual([
        { id: 1, email: 'carol@example.org', email_key: 'carol@example.org', status: 'active', name: 'Carol', last_sent_at: '2026-08-21T07:00:00.000Z' },
        { id: 4, email: 'bounced@example.org', email_key: 'bounced@example.org', status: 'bounced', name: '', last_sent_at: null },
        { id: 7, email: 'dave@example.org', email_key: 'dave@example.org', status: 'complained', name: '', last_sent_at: null },
        { id: 8, email: 'erin@example.org', email_key: 'erin@example.org', status: 'active', name: '', last_sent_at: null },
      ]);
      const lists = db.prepare(`SELECT m.subscriber_id AS id, l.name, m.status FROM list_members m JOIN lists l ON l.id = m.list_id ORDER BY 1, 2`).all();
      expect(lists).toEqual([
        { id: 1, name: 'default', status: 'active' },
        { id: 1, name: 'team', status: 'active' },
        { id: 4, name: 'default', status: 'active' },
        { id: 8, name: 'default', status: 'active' },
      ]);
      const ledger = db.prepare('SELECT subscriber_id AS id, status FROM deliveries ORDER BY 1').all();
      // Carol already got the edition through her duplicate: her own row is sent, so it never goes again.
      expect(ledger).toEqual([
        { id: 1, status: 'sent' },
        { id: 4, status: 'sent' },
      ]);
      // The identity is unique from now on.
      expect(() =>
        db
          .prepare(
            `INSERT INTO subscribers (email, email_key, status, source, created_at) VALUES ('ERIN@example.org', 'erin@example.org', 'pending', 'web', '${at}')`,
          )
          .run(),
      ).toThrow(/UNIQUE/);
    } finally {
      db.close();
    }
  });
});
