import { changingPaperColumns, paperColumns, paperSelect } from '../../common/index.js';
import { paperIdOfKey, searchKey } from '../paper-index.js';

/**
 * Where a paper found ranks (lower first): its title holds the whole search, else its keywords do,
 * else it was found through its abstract, its authors or its fields together. Each is a second
 * FTS5 match of the search within that column (FTS5's `{column} :`), over the rowids of the papers
 * ranked only. Not bm25: its weights need every searched word's count over the whole archive, which
 * took 30 ms for a search with many synonyms however few papers it ranked. PostgreSQL ranks alike.
 */
const tier = 'CASE WHEN r.key IN titled THEN 0 WHEN r.key IN keyworded THEN 1 ELSE 2 END';
/** After the tier, the order both backends break ties in. */
const tieBreaks = 'p.upvotes DESC, p.day DESC, p.paper_id';
/** The rowids of the papers of days [@from, @to] (NULL: unbounded): a rowid is the day above the id (paper-index.ts). */
const inDays = `rowid BETWEEN coalesce(${searchKey('@from', '0')}, 0) AND coalesce(${searchKey('@to', '0xffffffff')}, 9223372036854775807)`;
const withinRanked = 'rowid BETWEEN (SELECT min(key) FROM ranked) AND (SELECT max(key) FROM ranked)';

/** The papers archive's statements on SQLite. */
export const paperSql = {
  /** The papers of a day as the search index was made from them: what a refetch compares its text with. */
  indexedOfDay: 'SELECT id, day, paper_id, title, keywords, summary, authors FROM papers WHERE day = ?',
  /**
   * One paper, by named parameters; a paper already kept is rewritten only when something in it
   * changed. Returns its id when it was written, nothing when it was left as it was.
   */
  upsert: `INSERT INTO papers (${paperColumns.join(', ')}, kept_at) VALUES (${paperColumns.map((column) => `@${column}`).join(', ')}, @kept_at)
    ON CONFLICT (day, paper_id) DO UPDATE SET ${changingPaperColumns.map((column) => `${column} = excluded.${column}`).join(', ')}
    WHERE ${changingPaperColumns.map((column) => `papers.${column} IS NOT excluded.${column}`).join(' OR ')}
    RETURNING id`,
  ofDay: `SELECT ${paperSelect} FROM papers p WHERE p.day = ? ORDER BY p.upvotes DESC, p.comments DESC, p.paper_id`,
  extent: 'SELECT count(DISTINCT day) AS days, count(*) AS papers, min(day) AS first, max(day) AS last FROM papers',
  newestDay: 'SELECT max(day) AS day FROM papers',
  /**
   * A page of the papers matching an FTS5 expression in [from, to], ranked among the newest
   * @window of them (FTS5 walks its rowids newest day first and stops there), with how many match
   * up to @window + 1, the day of the oldest ranked, and for each paper the newest edition of its
   * day that carried it. Always one row at least: when the page is empty, without a paper.
   */
  search: `WITH newest AS MATERIALIZED (
      SELECT rowid AS key FROM papers_fts WHERE papers_fts MATCH @match AND ${inDays} ORDER BY rowid DESC LIMIT @window + 1
    ), ranked AS MATERIALIZED (
      SELECT key FROM newest ORDER BY key DESC LIMIT @window
    ), titled AS MATERIALIZED (
      SELECT rowid AS key FROM papers_fts WHERE papers_fts MATCH @titled AND ${withinRanked}
    ), keyworded AS MATERIALIZED (
      SELECT rowid AS key FROM papers_fts WHERE papers_fts MATCH @keyworded AND ${withinRanked}
    ), page AS (
      SELECT p.id, ${tier} AS tier FROM ranked r JOIN papers p INDEXED BY papers_ranking ON p.id = ${paperIdOfKey('r.key')}
      ORDER BY tier, ${tieBreaks} LIMIT @limit OFFSET @offset
    )
    SELECT found.matched, found.oldest, hit.* FROM (
      SELECT (SELECT count(*) FROM newest) AS matched, (SELECT date((min(key) >> 32) * 86400, 'unixepoch') FROM ranked) AS oldest
    ) found LEFT JOIN (
      SELECT ${paperSelect}, page.tier, e.id AS edition_id, l.name AS edition_list
      FROM page CROSS JOIN papers p ON p.id = page.id
      LEFT JOIN editions e ON e.id = (SELECT max(c.id) FROM editions c, json_each(c.papers) j WHERE c.day = p.day AND j.value ->> '$.id' = p.paper_id)
      LEFT JOIN lists l ON l.id = e.list_id
    ) hit ON true
    ORDER BY hit.tier, hit.upvotes DESC, hit.day DESC, hit.paper_id`,
  removeDemo: `DELETE FROM papers WHERE source = 'sample'`,
} as const;
