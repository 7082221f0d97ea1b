/**
 * One measured operation in its own process, so its peak RSS is its own. Prints one JSON line:
 * { rows, ms, maxRssMb }. Used by bench/subscribers.ts.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import { openDatabase, openSubscriberStore } from '../src/stores/sqlite/index.js';
import { exportCsv, importCsv } from '../src/subscribers/index.js';

const [operation, dataDir, file] = process.argv.slice(2) as [string, string, string];
const started = performance.now();
let rows = 0;

if (operation === 'import') {
  const store = openSubscriberStore(dataDir);
  const summary = await importCsv(store, createReadStream(file), { list: 'default' });
  rows = summary.added + summary.updated + summary.unchanged;
  store.close();
} else if (operation === 'export') {
  const store = openSubscriberStore(dataDir);
  rows = await exportCsv(store, {}, createWriteStream(file));
  store.close();
} else if (operation === 'baseline-import') {
  // The floor: parse the same file and INSERT each row, no validation, no merge, 5,000 a transaction.
  const db = openDatabase(dataDir);
  const insert = db.prepare("INSERT INTO subscribers (email, name, status, source, created_at) VALUES (?, ?, 'active', 'import', '')");
  const insertMany = db.transaction((batch: string[][]) => {
    for (const r of batch) insert.run(r[0], r[1]);
  });
  let batch: string[][] = [];
  for await (const record of createReadStream(file).pipe(parse({ from_line: 2 })) as AsyncIterable<string[]>) {
    batch.push(record);
    rows++;
    if (batch.length === 5000) {
      insertMany(batch);
      batch = [];
    }
  }
  insertMany(batch);
  db.close();
} else if (operation === 'baseline-export') {
  // The floor: one SELECT streamed through csv-stringify, no paging, no list names.
  const db = openDatabase(dataDir);
  const iterator = db.prepare('SELECT email, name, status FROM subscribers ORDER BY id').raw().iterate() as IterableIterator<unknown[]>;
  const counted = (function* () {
    for (const row of iterator) {
      rows++;
      yield row;
    }
  })();
  await pipeline(Readable.from(counted), stringify(), createWriteStream(file));
  db.close();
} else {
  throw new Error(`unknown operation ${operation}`);
}
const ms = performance.now() - started;
console.log(JSON.stringify({ rows, ms, maxRssMb: process.resourceUsage().maxRSS / 1024 })); // a small parent: maxRSS is this process's own
