import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PaperboyError } from '../../src/errors.js';
import { importCsv, type ImportSummary } from '../../src/subscribers/index.js';
import { openSubscriberStore, type SqliteSubscriberStore } from '../../src/stores/sqlite/index.js';
import { tempDir } from '../helpers/cli.js';
import { collector } from '../helpers/streams.js';

const tmp = tempDir('paperboy-import-');
afterAll(() => tmp.remove());

let store: SqliteSubscriberStore;
let run = 0;
beforeEach(() => {
  store = openSubscriberStore(join(tmp.path, `data-${++run}`));
});
afterEach(() => store.close());

const csv = (...lines: string[]) => Readable.from([lines.join('\n') + '\n']);


async function importError(promise: Promise<unknown>): Promise<PaperboyError> {
  const error = await promise.then(() => undefined, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(PaperboyError);
  return error as PaperboyError;
}

const longAddress = `${'a'.repeat(60)}@${'b'.repeat(235)}.com`;
/** Line numbers are where each record starts; line 1 is the header. */
const messyCsv = [
  '\uFEFFemail,name,topics',                 // 1
  'ada@example.com,Zoë Ångström,NLP;vision', // 2
  'li@example.com,李雷,',                    // 3
  'no-at-sign.example.com,Bad Row,',         // 4
  '"a\r\nb@example.com",Broken,',            // 5-6
  `${longAddress},Long,`,                    // 7
  'ada@example.com,Zoë Ångström,NLP;vision', // 8: exact duplicate
  'li@example.com,Li Lei,',                  // 9: duplicate, new name
  'bob@example.com,"Bob, Jr.",robotics',     // 10
  'x@example.com,"Multi\r\nline",',          // 11-12
  'ok@example.com,Ok,',                      // 13
].join('\r\n') + '\r\n';

const expectedRejects = [
  { line: 4, email: 'no-at-sign.example.com', reason: 'missing @' },
  { line: 5, email: 'a\nb@example.com', reason: 'address contains a line break' },
  { line: 7, email: longAddress, reason: 'address is longer than 254 characters' },
  { line: 11, email: 'x@example.com', reason: 'name contains a line break' },
];

function expectMessyCounts(summary: ImportSummary, dryRun = false): void {
  expect(summary).toEqual({
    rows: 10, added: 4, updated: 1, unchanged: 1, invalid: 4, keptSuppressed: 0, resubscribed: 0, rejected: expectedRejects, dryRun, delimiter: ',',
  });
}

describe('importCsv', () => {
  it('imports a BOM + CRLF file with bad rows, reporting each with its starting line', async () => {
    const file = join(tmp.path, 'messy.csv');
    writeFileSync(file, messyCsv);
    // Tiny chunks split CRLF pairs and multi-byte characters across reads.
    const summary = await importCsv(store, createReadStream(file, { highWaterMark: 5 }), { list: 'default' });
    expectMessyCounts(summary);
    expect(await store.count({})).toBe(4);
    expect(await store.findByEmail('ada@example.com')).toMatchObject({
      name: 'Zoë Ångström', status: 'active', source: 'import', lists: ['default'], preferences: { topics: ['nlp', 'vision'] },
    });
    expect((await store.findByEmail('li@example.com'))!.name).toBe('Li Lei');
    expect((await store.findByEmail('bob@example.com'))!.name).toBe('Bob, Jr.');
  });

  it('gives the same result for one chunk and for one byte at a time', async () => {
    const bytes = Buffer.from(messyCsv, 'utf8');
    const oneByte = Readable.from([...bytes].map((byte) => Buffer.from([byte])));
    expectMessyCounts(await store.rehearse(() => importCsv(store, Readable.from([bytes]), { list: 'default' })));
    expectMessyCounts(await importCsv(store, oneByte, { list: 'default' }));
  });

  it('writes every invalid row to the rejects CSV', async () => {
    const rejects = collector();
    await importCsv(store, Readable.from([messyCsv]), { list: 'default', rejects: rejects.stream });
    expect(rejects.text()).toBe([
      'line,email,name,reason',
      '4,no-at-sign.example.com,Bad Row,missing @',
      '5,"a\nb@example.com",Broken,address contains a line break',
      `7,${longAddress},Long,address is longer than 254 characters`,
      '11,x@example.com,"Multi\nline",name contains a line break',
      '',
    ].join('\n'));
  });

  it('reads a file without a header row as email, name, topics, status, list', async () => {
    const summary = await importCsv(store, csv('ada@example.com,Ada,nlp,pending', 'bad-address,Bad', 'bob@example.com'), { list: 'default' });
    expect(summary).toMatchObject({ rows: 3, added: 2, invalid: 1, rejected: [{ line: 2, email: 'bad-address', reason: 'missing @' }] });
    expect(await store.findByEmail('ada@example.com')).toMatchObject({ name: 'Ada', status: 'pending', preferences: { topics: ['nlp'] } });
    expect(await store.findByEmail('bob@example.com')).toMatchObject({ name: '', status: 'active' });
  });

  it('honours a list column, refusing rows that name a missing list', async () => {
    await store.createList('papers');
    const summary = await importCsv(store, csv(
      'Email,Full Name,Lists',
      'ada@example.com,Ada,papers',
      'bob@example.com,Bob,missing',
      'cy@example.com,Cy,papers|default',
      'dee@example.com,Dee,',
    ), { list: 'default' });
    expect(summary).toMatchObject({ rows: 4, added: 3, invalid: 1, rejected: [{ line: 3, email: 'bob@example.com', reason: 'list "missing" does not exist' }] });
    expect((await store.findByEmail('ada@example.com'))!.lists).toEqual(['papers']);
    expect((await store.findByEmail('cy@example.com'))!.lists).toEqual(['default', 'papers']);
    expect((await store.findByEmail('dee@example.com'))!.lists).toEqual(['default']);
    expect(await store.findByEmail('bob@example.com')).toBeUndefined();
  });

  it('refuses to start when the target list does not exist', async () => {
    const error = await importError(importCsv(store, csv('email', 'ada@example.com'), { list: 'nope' }));
    expect(error.code).toBe('INPUT');
    expect(await store.count({})).toBe(0);
  });

  it('keeps unsubscribed people unsubscribed unless resubscribe is asked', async () => {
    await store.upsertMany([{ email: 'gone@example.com', name: 'Gone', status: 'active', source: 'cli', lists: ['default'] }]);
    const id = (await store.findByEmail('gone@example.com'))!.id;
    await store.unsubscribe(id);
    const input = () => csv('email,name', 'gone@example.com,Gone', 'new@example.com,New');

    expect(await importCsv(store, input(), { list: 'default' })).toMatchObject({ rows: 2, added: 1, keptSuppressed: 1, resubscribed: 0 });
    expect((await store.findById(id))!.status).toBe('unsubscribed');

    expect(await importCsv(store, input(), { list: 'default', resubscribe: true })).toMatchObject({ rows: 2, unchanged: 1, keptSuppressed: 0, resubscribed: 1 });
    expect((await store.findById(id))!.status).toBe('active');
  });

  it('a dry run counts the same as a real run but writes nothing', async () => {
    await store.upsertMany([{ email: 'li@example.com', name: '李雷', status: 'active', source: 'cli', lists: ['default'] }]);
    const dry = await importCsv(store, Readable.from([messyCsv]), { list: 'default', dryRun: true });
    expect(dry).toMatchObject({ rows: 10, added: 3, updated: 1, unchanged: 2, invalid: 4, dryRun: true });
    expect(await store.count({})).toBe(1);
    expect((await store.findByEmail('li@example.com'))!.name).toBe('李雷');

    const real = await importCsv(store, Readable.from([messyCsv]), { list: 'default' });
    expect({ ...real, dryRun: true }).toEqual(dry);
    expect(await store.count({})).toBe(4);
  });

  it('counts correctly across small batches with duplicates inside and across batches', async () => {
    const rows = ['email,name', 'a@example.com,A', 'b@example.com,B', 'c@example.com,C', 'a@example.com,A', 'a@example.com,A2', 'a@example.com,A2', 'bad', 'b@example.com,B'];
    const summary = await importCsv(store, csv(...rows), { list: 'default', batchSize: 2 });
    expect(summary).toMatchObject({ rows: 8, added: 3, updated: 1, unchanged: 3, invalid: 1 });
    expect((await store.findByEmail('a@example.com'))!.name).toBe('A2');
    expect(await store.count({})).toBe(3);
  });

  it('throws INPUT on a malformed CSV but keeps the rows read before it', async () => {
    const input = Readable.from(['email,name\nok@example.com,Ok\nfine@example.com,Fine\n"unclosed@example.com,Oops\n']);
    const error = await importError(importCsv(store, input, { list: 'default' }));
    expect(error.code).toBe('INPUT');
    expect(error.message).toMatch(/malformed.*Quote Not Closed/);
    expect((await store.page({}, 0, 10)).map((s) => s.email)).toEqual(['ok@example.com', 'fine@example.com']);
  });

  it('keeps every row before the fault, in small batches too', async () => {
    const good = Array.from({ length: 45 }, (_, i) => `user${i}@example.com,User ${i}`);
    const input = () => Readable.from([['email,name', ...good, '"unclosed'].join('\n')]);
    expect((await importError(importCsv(store, input(), { list: 'default', batchSize: 7 }))).code).toBe('INPUT');
    expect(await store.count({})).toBe(45);
  });

  it('turns a read error of the input into an INPUT error instead of hanging', async () => {
    const error = await importError(importCsv(store, createReadStream(tmp.path), { list: 'default' }));
    expect(error.code).toBe('INPUT');
    expect(error.message).toMatch(/EISDIR/);
  });

  it('reads the status column and refuses unknown statuses', async () => {
    const summary = await importCsv(store, csv('email,status', 'left@example.com,unsubscribed', 'b@example.com,Bounced', 'w@example.com,weird', 'p@example.com,'), { list: 'default' });
    expect(summary).toMatchObject({
      rows: 4, added: 3, invalid: 1,
      rejected: [{ line: 4, email: 'w@example.com', reason: 'status "weird" is not one of pending, active, unsubscribed, bounced, complained' }],
    });
    expect(await store.findByEmail('left@example.com')).toMatchObject({ status: 'unsubscribed', unsubscribedAt: expect.any(String) });
    expect((await store.findByEmail('b@example.com'))!.status).toBe('bounced');
    expect((await store.findByEmail('p@example.com'))!.status).toBe('active');
    expect(await store.findByEmail('w@example.com')).toBeUndefined();
  });
});

describe('CSV files saved by spreadsheets in other locales', () => {
  it('reads a semicolon-separated file (topics then separated by commas inside quotes) and says so', async () => {
    const dir = tempDir('paperboy-semicolons-');
    const store = openSubscriberStore(dir.path);
    try {
      const csv = 'email;name;topics\r\nada@example.org;Ada Lovelace;"nlp,vision"\r\nbob@example.org;Bob;\r\n';
      const summary = await importCsv(store, Readable.from([Buffer.from(csv)]), { list: 'default' });
      expect(summary).toMatchObject({ rows: 2, added: 2, invalid: 0, delimiter: ';' });
      expect(await store.findByEmail('ada@example.org')).toMatchObject({ name: 'Ada Lovelace', preferences: { topics: ['nlp', 'vision'] } });
    } finally {
      store.close();
      dir.remove();
    }
  });
});
