import { openDatabase } from '../db/index.js';
import { SqliteLedger } from '../delivery/index.js';
import { SqliteEditionStore } from '../editions/index.js';
import { PaperboyError } from '../errors.js';
import { parseDay } from '../papers/index.js';
import { commandConfig } from './context.js';
import type { GlobalOptions } from './flags.js';
import { print, printJson } from './output.js';

function withEditions<T>(global: GlobalOptions, work: (editions: SqliteEditionStore, ledger: SqliteLedger) => Promise<T>): Promise<T> {
  const db = openDatabase(commandConfig(global).dataDir);
  return work(new SqliteEditionStore(db), new SqliteLedger(db)).finally(() => db.close());
}

export const list = (options: { list?: string; json?: boolean }, global: GlobalOptions) =>
  withEditions(global, async (editions) => {
    const rows = await editions.list(options.list ? { list: options.list } : {});
    if (options.json) return printJson(rows);
    if (rows.length === 0) return print('No editions yet; paperboy send creates one.');
    for (const row of rows) {
      const { sent, failed, skipped, retry, pending, sending } = row.counts;
      print(`${row.day}  ${row.list}  ${row.papers} papers  ${sent} sent, ${failed} failed, ${skipped} skipped, ${retry} retry, ${pending + sending} pending  ${row.completedAt ? 'complete' : 'open'}`);
    }
  });

export const show = (date: string, options: { list?: string; json?: boolean }, global: GlobalOptions) =>
  withEditions(global, async (editions, ledger) => {
    const list = options.list ?? 'default';
    const edition = await editions.find(list, parseDay(date));
    if (!edition) throw new PaperboyError('INPUT', `No edition of ${date} for ${list}; see paperboy editions list.`);
    const counts = await ledger.counts(edition.id);
    const summary = { id: edition.id, list, day: edition.day, papers: edition.papers.length, createdAt: edition.createdAt, ...(edition.completedAt ? { completedAt: edition.completedAt } : {}), counts };
    if (options.json) return printJson({ ...summary, source: edition.source, templatesVersion: edition.templatesVersion, papers: edition.papers });
    print(`${edition.day} → ${list} (from ${edition.source}, templates ${edition.templatesVersion}, created ${edition.createdAt}${edition.completedAt ? `, completed ${edition.completedAt}` : ''})`);
    const { sent, failed, skipped, retry, pending, sending } = summary.counts;
    print(`  ${sent} sent, ${failed} failed, ${skipped} skipped, ${retry} waiting to retry, ${pending + sending} not yet sent`);
    edition.papers.forEach((paper, index) => print(`  ${index + 1}. ${paper.title} (▲ ${paper.upvotes}, ${paper.id})`));
  });
