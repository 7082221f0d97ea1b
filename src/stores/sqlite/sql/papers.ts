import { changingPaperColumns, paperColumns, paperSelect } from '../../common/index.js';
import { paperIdOfKey } from '../paper-index.js';

/**
 * Relevance: how strongly the title and the keywords hold the search, by FTS5's bm25 with weights
 * for title 10, keywords 4 (the ratio of PostgreSQL's A and B weights), summary and authors 0: a
 * paper found through its summary or authors only ranks below every one whose title or keywords
 * hold a searched word, and among them the upvotes decide. Lower is better. The same on PostgreSQL,
 * where ranking every paper found by all its words cost more than the 50 ms a search may take.
 */
const relevance = 'bm25(papers_fts, 10.0, 4.0, 0.0, 0.0)';
/** After relevance, the order both backends break ties in. */
const tieBreaks = 'p.upvotes DESC, p.day DESC, p.paper_id';

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
   * A page of the papers matching an FTS5 expression in [from, to] (NULL: unbounded), with how
   * many match in all, and for each the newest edition of its day that carried it. Every paper
   * found is ordered through papers_ranking (the planner would read the rows themselves).
   */
  search: `WITH matched AS (
      SELECT p.id, p.upvotes, p.day, p.paper_id, ${relevance} AS score
      FROM papers_fts JOIN papers p INDEXED BY papers_ranking ON p.id = ${paperIdOfKey('papers_fts.rowid')}
      WHERE papers_fts MATCH @match AND (@from IS NULL OR p.day >= @from) AND (@to IS NULL OR p.day <= @to)
    ), page AS (
      SELECT p.id, p.score, count(*) OVER () AS total FROM matched p ORDER BY p.score, ${tieBreaks} LIMIT @limit OFFSET @offset
    )
    SELECT ${paperSelect}, page.total, e.id AS edition_id, l.name AS edition_list
    FROM page JOIN papers p ON p.id = page.id
    LEFT JOIN editions e ON e.id = (SELECT max(c.id) FROM editions c, json_each(c.papers) j WHERE c.day = p.day AND j.value ->> '$.id' = p.paper_id)
    LEFT JOIN lists l ON l.id = e.list_id
    ORDER BY page.score, ${tieBreaks}`,
  /** How many match, for a page past the last (which has no row to carry the total). */
  count: `SELECT count(*) AS n FROM papers_fts JOIN papers p INDEXED BY papers_ranking ON p.id = ${paperIdOfKey('papers_fts.rowid')}
    WHERE papers_fts MATCH @match AND (@from IS NULL OR p.day >= @from) AND (@to IS NULL OR p.day <= @to)`,
  removeDemo: `DELETE FROM papers WHERE source = 'sample'`,
} as const;
