import type { Paper } from './paper.js';

/**
 * One search in each store's own full-text engine. Both say the same thing in their own syntax:
 * `fts5` is an SQLite FTS5 MATCH expression, `tsquery` the text of a PostgreSQL `to_tsquery`
 * expression (read with the store's paperboy_english configuration: english, with a hyphenated
 * word taken as its parts). The query language (src/search) writes both.
 */
export interface EngineMatch {
  fts5: string;
  tsquery: string;
}

export interface PaperSearchOptions {
  /** The first and last feed days searched (YYYY-MM-DD, both included); every day when absent. */
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

/** A paper found by a search, with the edition that carried it, if one did. */
export interface PaperHit {
  paper: Paper;
  /** The newest edition of the paper's day that featured it, on any list. */
  edition?: { id: number; list: string; day: string };
}

/**
 * How many of the papers it finds a search ranks at most: the newest (by day, then as kept). A
 * broad search over years of papers (one paper in five mentions reinforcement learning) would
 * otherwise read and rank tens of thousands of papers for a page of twenty; so many newest
 * matches take a few milliseconds on either store, and a range of days reaches older ones.
 */
export const searchWindow = 500;

export interface PaperSearchPage {
  /** How many papers match in all, for paging; `searchWindow` when more match (see rankedSince). */
  total: number;
  /**
   * Set when more than `searchWindow` papers match: the day of the oldest ranked. The page holds
   * the most relevant of the newest `searchWindow` matches; papers before this day are left out.
   */
  rankedSince?: string;
  /** This page of them, most relevant first: a title that holds the search, then keywords, then the rest; each by upvotes, newer day, id. */
  hits: PaperHit[];
}

/** What a day's write changed: papers new to the archive, papers whose fields changed (upvotes, say), and the rest. */
export interface KeptDay {
  added: number;
  updated: number;
  unchanged: number;
}

/** How much the archive holds. */
export interface ArchiveExtent {
  days: number;
  papers: number;
  first?: string;
  last?: string;
}

/**
 * Every paper of every fetched day: all the items the source returned, not only an edition's
 * selection. A day is written whole each time it is fetched; a paper is one row per (day, id),
 * updated in place (upvotes change through the day), never removed by a later fetch.
 */
export interface PaperArchive {
  /** Keeps every paper of one feed day, in one write; `source` names where they came from ("hf", "sample", "file:…"). */
  keepDay(day: string, source: string, papers: readonly Paper[]): Promise<KeptDay>;
  /** A day's papers as last fetched, most upvoted first (ties: id). */
  papersOfDay(day: string): Promise<Paper[]>;
  extent(): Promise<ArchiveExtent>;
  /** The newest day kept (an index lookup, where extent() reads every row): undefined while nothing is kept. */
  newestDay(): Promise<string | undefined>;
  /** Full-text search with the store's own engine, most relevant first; upvotes break ties. The newest `searchWindow` matches at most. */
  searchPapers(match: EngineMatch, options: PaperSearchOptions): Promise<PaperSearchPage>;
}
