import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PaperboyError } from '../../src/errors.js';
import { openSubscriberStore, type StandaloneSubscriberStore } from '../../src/stores/sqlite/index.js';
import { type ImportSummary, importCsv } from '../../src/subscribers/index.js';
import { tempDir } from '../helpers/files.js';
import { collector } from '../helpers/streams.js';

const tmp = tempDir('paperboy-import-');
afterAll(() => tmp.remove());

let store: StandaloneSubscriberStore;
let run = 0;
beforeEach(() => {
  store = openSubscriberStore(join(tmp.path, `data-${++run}`));
});
afterEach(() => store.close());

const csv = (...lines: string[]) => Readable.from([`${lines.join('\n')}\n`]);

async function importError(promise: Promise<unknown>): Promise<PaperboyError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(PaperboyError);
  return error as PaperboyError;
}

const longAddress = `${'a'.repeat(60)}@${'b'.repeat(235)}.com`;
/** Line numbers are where each record starts; line 1 is the header. */
const messyCsv = `${[
  '\uFEFFemail,name,topics', // 1
  'ada@example.com,Zoë Ångström,NLP;vision', // 2
  'li@example.com,李雷,', // 3
  'no-at-sign.example.com,Bad Row,', // 4
  '"a\r\nb@example.com",Broken,', // 5-6
  `${longAddress},Long,`, // 7
  'ada@example.com,Zoë Ångström,NLP;vision', // 8: exact duplicate
  'li@example.com,Li Lei,', // 9: duplicate, new name
  'bob@example.com,"Bob, Jr.",robotics', // 10
  'x@example.com,"Multi\r\nline",', // 11-12
  'ok@example.com,Ok,', // 13
].join('\r\n')}\r\n`;

const expectedRejects = [
  { line: 4, email: 'no-at-sign.example.com', reason: 'missing @' },
  { line: 5, email: 'a\nb@example.com', reason: 'address contains a line break' },
  { line: 7, email: longAddress, reason: 'address is longer than 254 characters' },
  { line: 11, email: 'x@example.com', reason: 'name contains a line break' },
];

function expectMessyCounts(summary: ImportSummary, dryRun = false): void {
  expect(summary).toEqual({
    rows: 10,
    added: 4,
    updated: 1,
    unchanged: 1,
    invalid: 4,
    keptSuppressed: 0,
    resubscribed: 0,
    rejected: expectedRejects,
    dryRun,
    delimiter: ',',
    encoding: 'utf-8',
    ignoredColumns: [],
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
      name: 'Zoë Ångström',
      status: 'active',
      source: 'import',
      lists: ['default'],
      preferences: { topics: ['nlp', 'vision'] },
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
    expect(rejects.text()).toBe(
      [
        'line,email,name,reason',
        '4,no-at-sign.example.com,Bad Row,missing @',
        '5,"a\nb@example.com",Broken,address contains a line break',
        `7,${longAddress},Long,address is longer than 254 characters`,
        '11,x@example.com,"Multi\nline",name contains a line break',
        '',
      ].join('\n'),
    );
  });

  it('reads a file without a header row as email, name, topics, status, list', async () => {
    const summary = await importCsv(store, csv('ada@example.com,Ada,nlp,pending', 'bad-address,Bad', 'bob@example.com'), { list: 'default' });
    expect(summary).toMatchObject({ rows: 3, added: 2, invalid: 1, rejected: [{ line: 2, email: 'bad-address', reason: 'missing @' }] });
    expect(await store.findByEmail('ada@example.com')).toMatchObject({ name: 'Ada', status: 'pending', preferences: { topics: ['nlp'] } });
    expect(await store.findByEmail('bob@example.com')).toMatchObject({ name: '', status: 'active' });
  });

  it('honours a list column, refusing rows that name a missing list', async () => {
    await store.createList('papers');
    const summary = await importCsv(
      store,
      csv('Email,Full Name,Lists', 'ada@example.com,Ada,papers', 'bob@example.com,Bob,missing', 'cy@example.com,Cy,papers|default', 'dee@example.com,Dee,'),
      { list: 'default' },
    );
    expect(summary).toMatchObject({
      rows: 4,
      added: 3,
      invalid: 1,
      rejected: [{ line: 3, email: 'bob@example.com', reason: 'list "missing" does not exist' }],
    });
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

    expect(await importCsv(store, input(), { list: 'default', resubscribe: true })).toMatchObject({
      rows: 2,
      unchanged: 1,
      keptSuppressed: 0,
      resubscribed: 1,
    });
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
    const rows = [
      'email,name',
      'a@example.com,A',
      'b@example.com,B',
      'c@example.com,C',
      'a@example.com,A',
      'a@example.com,A2',
      'a@example.com,A2',
      'bad',
      'b@example.com,B',
    ];
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
    const summary = await importCsv(
      store,
      csv('email,status', 'left@example.com,unsubscribed', 'b@example.com,Bounced', 'w@example.com,weird', 'p@example.com,'),
      { list: 'default' },
    );
    expect(summary).toMatchObject({
      rows: 4,
      added: 3,
      invalid: 1,
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

describe('CSV files in the encodings spreadsheets save', () => {
  const rows = ['email,name', 'ada@example.org,Zoë Ångström', 'bob@example.org,Bob O’Brien (€)'];
  const pieces = (bytes: Buffer, size: number) =>
    Readable.from(Array.from({ length: Math.ceil(bytes.length / size) }, (_, index) => bytes.subarray(index * size, (index + 1) * size)));
  const windows1252 = (text: string) => Buffer.from([...text].map((ch) => ({ '’': 0x92, '€': 0x80 })[ch] ?? ch.charCodeAt(0)));

  it.each([1, 3, 7, 65_536])('reads Windows-1252 (Excel on Windows) as such, in chunks of %i bytes, and says so', async (size) => {
    const summary = await importCsv(store, pieces(windows1252(`${rows.join('\r\n')}\r\n`), size), { list: 'default' });
    expect(summary).toMatchObject({ rows: 2, added: 2, invalid: 0, encoding: 'windows-1252' });
    expect((await store.findByEmail('ada@example.org'))!.name).toBe('Zoë Ångström');
    expect((await store.findByEmail('bob@example.org'))!.name).toBe('Bob O’Brien (€)');
  });

  it('decides on the first accented letter however far into the file it is', async () => {
    const plain = Array.from({ length: 5000 }, (_, index) => `reader${index}@example.org,Reader ${index}`);
    const text = `${['email,name', ...plain, 'zoe@example.org,Zoë'].join('\n')}\n`;
    expect(Buffer.byteLength(text)).toBeGreaterThan(100_000);
    const asUtf8 = await store.rehearse(() => importCsv(store, pieces(Buffer.from(text), 65_536), { list: 'default' }));
    expect(asUtf8).toMatchObject({ added: 5001, encoding: 'utf-8' });
    const summary = await importCsv(store, pieces(windows1252(text), 65_536), { list: 'default' });
    expect(summary).toMatchObject({ added: 5001, encoding: 'windows-1252' });
    expect((await store.findByEmail('zoe@example.org'))!.name).toBe('Zoë');
  });

  it('keeps UTF-8 split anywhere as UTF-8, never U+FFFD', async () => {
    const summary = await importCsv(store, pieces(Buffer.from(`${rows.join('\n')}\n`), 1), { list: 'default' });
    expect(summary.encoding).toBe('utf-8');
    expect((await store.findByEmail('bob@example.org'))!.name).toBe('Bob O’Brien (€)');
  });

  const unicodeText = `${rows.map((row) => row.replace(',', '\t')).join('\r\n')}\r\n`;
  const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(unicodeText, 'utf16le')]);
  const utf16be = Buffer.from(utf16le).swap16(); // FE FF, then each code unit big-endian

  it.each([
    ['utf-16le', utf16le],
    ['utf-16be', utf16be],
  ])('reads %s with its byte-order mark (Excel\'s "Unicode text", tab-separated)', async (encoding, bytes) => {
    const summary = await importCsv(store, pieces(bytes, 5), { list: 'default' });
    expect(summary).toMatchObject({ rows: 2, added: 2, delimiter: '\t', encoding });
    expect((await store.findByEmail('ada@example.org'))!.name).toBe('Zoë Ångström');
    expect((await store.findByEmail('bob@example.org'))!.name).toBe('Bob O’Brien (€)');
  });

  it('stops at a line that breaks the encoding the file started in, keeping the rows before it', async () => {
    const bytes = Buffer.concat([
      Buffer.from('email,name\nada@example.org,Zoë\nbob@example.org,Bob\n'),
      Buffer.from([...'cy@example.org,Ren', 0xe9, ...'\n'].map((c) => (typeof c === 'number' ? c : c.charCodeAt(0)))),
    ]);
    const error = await importError(importCsv(store, Readable.from([bytes]), { list: 'default' }));
    expect(error.message).toMatch(
      /^The CSV is UTF-8 up to line 4, which is not: the file mixes encodings; the rows before it were read\. Fix that line, or save it as UTF-8/,
    );
    expect(await store.count({})).toBe(2);
  });

  it('refuses a file with NUL bytes (UTF-16 without its mark, a spreadsheet) in one line, importing nothing', async () => {
    const error = await importError(importCsv(store, Readable.from([Buffer.from('email,name\r\nada@example.org,Ada\r\n', 'utf16le')]), { list: 'default' }));
    expect(error.message).toMatch(/^The CSV holds NUL bytes on line 1: it is not a plain-text CSV/);
    expect(await store.count({})).toBe(0);
  });
});

describe('CSV headers', () => {
  it('reads the names other tools export ("E-Mail Address", "First Name", "Last Name") and says which columns it left unread', async () => {
    const summary = await importCsv(store, csv('E-Mail Address,First Name,Last Name,Company,Topics', 'ada@example.org,Ada,Lovelace,Analytical Engines,math'), {
      list: 'default',
    });
    expect(summary).toMatchObject({ rows: 1, added: 1, invalid: 0, ignoredColumns: ['Company'] });
    expect(await store.findByEmail('ada@example.org')).toMatchObject({ name: 'Ada Lovelace', preferences: { topics: ['math'] } });
  });

  it('refuses a header with no email column instead of reading its rows by position', async () => {
    const error = await importError(importCsv(store, csv('Adresse électronique,Nom', 'ada@example.org,Ada'), { list: 'default' }));
    expect(error.message).toBe(
      'The CSV\'s first row looks like a header, but none of its columns is the email address ("Adresse électronique", "Nom"); nothing was imported. Name the columns email, name, topics, status, list, frequency, alerts (email is needed), or leave the header out to have them read in that order.',
    );
    expect(await store.count({})).toBe(0);
  });
});
