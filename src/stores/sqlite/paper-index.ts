import { type PaperText, paperSearchText } from '../common/index.js';
import { type Db, statement } from './open.js';

/**
 * papers_fts's rowid for a paper, as SQL over a day and an id: the day's number (days since 1970)
 * above the id's 32 bits. FTS5 then walks the matches of a search newest day first, and a range of
 * days is a range of rowids, both without reading `papers`. Always computed in SQL, never bound:
 * better-sqlite3 binds a number this large as a REAL, and FTS5 ignores a rowid constraint it gets
 * as a REAL (it answers every match).
 */
export const searchKey = (day: string, id: string): string => `((unixepoch(${day}) / 86400) << 32 | ${id})`;
/** The paper's id in a searchKey (its low 32 bits). */
export const paperIdOfKey = (key: string): string => `(${key} & 0xffffffff)`;

const indexSql = {
  insert: `INSERT INTO papers_fts (rowid, title, keywords, summary, authors)
    VALUES (${searchKey('@day', '@id')}, @search_title, @search_keywords, @search_summary, @search_authors)`,
  remove: `DELETE FROM papers_fts WHERE rowid = ${searchKey('@day', '@id')}`,
  batch: 'SELECT id, day, title, keywords, summary, authors FROM papers WHERE id > ? ORDER BY id LIMIT 500',
} as const;

/** What the index is made from: a paper's row as `papers` keeps it. */
export type IndexedRow = PaperText & { id: number; day: string };

/**
 * Writes a paper's words into papers_fts (a contentless table: FTS5 keeps the index, not the text),
 * first taking out what it held for the paper when `replacing`. Deleting a paper takes its words
 * out by itself (the papers_fts_delete trigger).
 */
export function indexPaper(db: Db, row: IndexedRow, replacing: boolean): void {
  if (replacing) statement(db, indexSql.remove).run({ day: row.day, id: row.id });
  statement(db, indexSql.insert).run({ day: row.day, id: row.id, ...paperSearchText(row) });
}

/** Indexes every kept paper anew, into an empty papers_fts (the migration that made it contentless). */
export function indexEveryPaper(db: Db): void {
  // In batches: a statement still reading rows would keep the connection from writing.
  for (let after = 0; ; ) {
    const rows = statement(db, indexSql.batch).all(after) as IndexedRow[];
    if (rows.length === 0) return;
    for (const row of rows) indexPaper(db, row, false);
    after = rows.at(-1)!.id;
  }
}
