import {
  type ArchiveExtent,
  type EngineMatch,
  type KeptDay,
  type Paper,
  type PaperArchive,
  type PaperSearchOptions,
  type PaperSearchPage,
  searchWindow,
} from '../../papers/index.js';
import { type ExtentRow, type PaperRow, paperRecords, type SearchRow, toExtent, toPaper, toSearchPage } from '../common/index.js';
import { type Db, nowIso, statement } from './open.js';
import { type IndexedRow, indexPaper } from './paper-index.js';
import { paperSql } from './sql/index.js';

type KeptRow = IndexedRow & { paper_id: string; keywords: string; authors: string };
const textChanged = (before: KeptRow, after: Pick<KeptRow, 'title' | 'keywords' | 'summary' | 'authors'>) =>
  before.title !== after.title || before.keywords !== after.keywords || before.summary !== after.summary || before.authors !== after.authors;

/** The papers archive in SQLite, searched with FTS5 (papers_fts, which the archive writes: paper-index.ts). */
export class SqlitePaperArchive implements PaperArchive {
  constructor(private readonly db: Db) {}

  async keepDay(day: string, source: string, papers: readonly Paper[]): Promise<KeptDay> {
    const records = paperRecords(day, source, papers);
    // The write lock first (immediate): a read that turns into a write may fail at once on a busy store.
    return this.db
      .transaction(() => {
        const kept = new Map((statement(this.db, paperSql.indexedOfDay).all(day) as KeptRow[]).map((row) => [row.paper_id, row]));
        const keptAt = nowIso();
        let changed = 0;
        for (const record of records) {
          const row = { ...record, authors: JSON.stringify(record.authors), keywords: JSON.stringify(record.keywords), kept_at: keptAt };
          const written = statement(this.db, paperSql.upsert).get(row) as { id: number } | undefined;
          if (!written) continue;
          changed++;
          const before = kept.get(record.paper_id);
          // New upvotes leave the index alone; new words replace what it held for the paper.
          if (!before || textChanged(before, row)) indexPaper(this.db, { ...row, id: written.id }, before !== undefined);
        }
        const added = records.filter((record) => !kept.has(record.paper_id)).length;
        return { added, updated: changed - added, unchanged: records.length - changed };
      })
      .immediate();
  }

  async papersOfDay(day: string): Promise<Paper[]> {
    return (statement(this.db, paperSql.ofDay).all(day) as PaperRow[]).map(toPaper);
  }

  async extent(): Promise<ArchiveExtent> {
    return toExtent(statement(this.db, paperSql.extent).get() as ExtentRow);
  }

  async newestDay(): Promise<string | undefined> {
    return (statement(this.db, paperSql.newestDay).get() as { day: string | null }).day ?? undefined;
  }

  async searchPapers(match: EngineMatch, options: PaperSearchOptions): Promise<PaperSearchPage> {
    const within = (column: string) => `{${column}} : (${match.fts5})`;
    const rows = statement(this.db, paperSql.search).all({
      match: match.fts5,
      titled: within('title'),
      keyworded: within('keywords'),
      from: options.from ?? null,
      to: options.to ?? null,
      window: searchWindow,
      limit: options.limit,
      offset: options.offset,
    }) as SearchRow[];
    return toSearchPage(rows);
  }
}
