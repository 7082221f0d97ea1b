import { type PaperText, paperSearchText } from '../common/index.js';
import type { PgQueryable } from './pool.js';

/**
 * A paper's words as PostgreSQL indexes them (the GIN-indexed `document`), as SQL over `r`, a
 * record of its search text (paperSearchText): weighted A title, B keywords, C summary, D authors,
 * each read with paperboy_english. '|' (which no query can name: the parser never makes it a
 * word) stands 16 positions after each field (|| shifts the next past the largest position), so
 * no phrase runs from one field into the next, as in SQLite's FTS5, where each field is a column.
 */
export const documentOf = (r: string): string =>
  `setweight(to_tsvector('paperboy_english', ${r}.search_title), 'A') || '''|'':16'::tsvector
    || setweight(to_tsvector('paperboy_english', ${r}.search_keywords), 'B') || '''|'':16'::tsvector
    || setweight(to_tsvector('paperboy_english', ${r}.search_summary), 'C') || '''|'':16'::tsvector
    || setweight(to_tsvector('paperboy_english', ${r}.search_authors), 'D')`;

/**
 * ts_match_vq (what @@ does) under a name the GIN index does not serve, estimated with neqsel: the
 * planner takes it to pass nearly every row, which is about true where the search uses it, on
 * papers that hold the words a tsquery needs (tsquery-words.ts). @@ would be estimated from each
 * word's frequency, as if the words stood anywhere, and the planner would fetch a common search's
 * thousands of papers through the index rather than walk the newest until it has enough.
 */
export const checkedMatch = '@@?';
export const createCheckedMatch = `CREATE OPERATOR ${checkedMatch} (LEFTARG = tsvector, RIGHTARG = tsquery, FUNCTION = ts_match_vq, RESTRICT = neqsel)`;

/** The search text's fields, for jsonb_to_recordset's column list. */
export const searchTextColumns = 'search_title text, search_keywords text, search_summary text, search_authors text';

const indexSql = {
  batch: 'SELECT id, title, keywords, summary, authors FROM papers WHERE id > $1 ORDER BY id LIMIT 500',
  write: `UPDATE papers p SET document = ${documentOf('r')}
    FROM jsonb_to_recordset($1::jsonb) AS r(id bigint, ${searchTextColumns}) WHERE p.id = r.id`,
} as const;

/**
 * Indexes every kept paper anew from its fields: when the index changed what it holds (a
 * migration), or after `db copy`, which copies the rows and leaves their words to the target.
 * In batches, each one statement.
 */
export async function indexEveryPaper(db: PgQueryable): Promise<void> {
  for (let after = 0; ; ) {
    const { rows } = await db.query<PaperText & { id: number }>(indexSql.batch, [after]);
    if (rows.length === 0) return;
    const texts = rows.map((row) => ({ id: row.id, ...paperSearchText(row) }));
    await db.query(indexSql.write, [JSON.stringify(texts)]);
    after = rows.at(-1)!.id;
  }
}
