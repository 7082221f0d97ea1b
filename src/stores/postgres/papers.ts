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
import { type ExtentRow, type PaperRow, paperRecords, paperSearchText, type SearchRow, toExtent, toPaper, toSearchPage } from '../common/index.js';
import type { PgQueryable } from './pool.js';
import { paperSql } from './sql/index.js';
import { tsqueryWords } from './tsquery-words.js';

/** The papers archive in PostgreSQL, searched through each paper's tsvector (GIN-indexed), which it writes with the paper (paper-index.ts). */
export class PostgresPaperArchive implements PaperArchive {
  constructor(private readonly db: PgQueryable) {}

  async keepDay(day: string, source: string, papers: readonly Paper[]): Promise<KeptDay> {
    const records = paperRecords(day, source, papers).map((record) => ({ ...record, ...paperSearchText(record) }));
    const { rows } = await this.db.query<{ added: boolean }>(paperSql.upsert, [JSON.stringify(records)]);
    const added = rows.filter((row) => row.added).length;
    return { added, updated: rows.length - added, unchanged: records.length - rows.length };
  }

  async papersOfDay(day: string): Promise<Paper[]> {
    return (await this.db.query<PaperRow>(paperSql.ofDay, [day])).rows.map(toPaper);
  }

  async extent(): Promise<ArchiveExtent> {
    return toExtent((await this.db.query<ExtentRow>(paperSql.extent)).rows[0]!);
  }

  async newestDay(): Promise<string | undefined> {
    return (await this.db.query<{ day: string | null }>(paperSql.newestDay)).rows[0]?.day ?? undefined;
  }

  async searchPapers(match: EngineMatch, options: PaperSearchOptions): Promise<PaperSearchPage> {
    const words = tsqueryWords(match.tsquery) ?? match.tsquery;
    const { rows } = await this.db.query<SearchRow>(paperSql.search, [
      match.tsquery,
      words,
      options.from ?? null,
      options.to ?? null,
      options.limit,
      options.offset,
      searchWindow,
    ]);
    return toSearchPage(rows);
  }
}
