import { changingPaperColumns, paperColumns, paperSelect } from '../../common/index.js';
import { documentOf, headingOf, searchTextColumns } from '../paper-index.js';

/**
 * Relevance, as on SQLite: how strongly the title (A, weight 1) and the keywords (B, 0.4) hold the
 * search, by ts_rank over the heading alone, divided by 1 + the log of its length (normalization 1).
 * A paper found through its summary or authors only ranks 0, below every one whose title or
 * keywords hold a searched word, and among them the upvotes decide. Higher is better. ts_rank, not
 * ts_rank_cd: like bm25 it weighs how often and where the words stand, not how close together.
 */
const relevance = `ts_rank('{0.1, 0.2, 0.4, 1.0}', p.heading, q.query, 1)`;
/** After relevance, the order both backends break ties in; "C": ids sort byte by byte, as SQLite sorts them. */
const tieBreaks = 'p.upvotes DESC, p.day DESC, p.paper_id COLLATE "C"';
/** Where the papers of a search are, $1 its to_tsquery expression, $2 and $3 the first and last days (NULL: unbounded). */
const matching = `FROM papers p, to_tsquery('paperboy_english', $1) AS q(query)
      WHERE p.document @@ q.query AND ($2::text IS NULL OR p.day >= $2) AND ($3::text IS NULL OR p.day <= $3)`;

/** The papers archive's statements on PostgreSQL. */
export const paperSql = {
  /**
   * A whole day in one statement, $1 a JSON array of records named like the columns, with each
   * paper's search text (paperSearchText) to index: a paper already kept is rewritten only when
   * something in it changed; each row written says whether it is new.
   */
  upsert: `INSERT INTO papers (${paperColumns.join(', ')}, kept_at, document, heading)
    SELECT ${paperColumns.map((column) => `r.${column}`).join(', ')}, now(), ${documentOf('r')}, ${headingOf('r')}
    FROM jsonb_to_recordset($1::jsonb) AS r(day text, paper_id text, source text, title text, summary text, ai_summary text, authors jsonb, keywords jsonb,
      upvotes integer, comments integer, published_at text, organization text, github_repo text, github_stars integer, project_page text, thumbnail text,
      ${searchTextColumns})
    ON CONFLICT (day, paper_id) DO UPDATE SET ${changingPaperColumns.map((column) => `${column} = excluded.${column}`).join(', ')},
      document = excluded.document, heading = excluded.heading
    WHERE (${changingPaperColumns.map((column) => `papers.${column}`).join(', ')}) IS DISTINCT FROM (${changingPaperColumns.map((column) => `excluded.${column}`).join(', ')})
    RETURNING (xmax = 0) AS added`,
  ofDay: `SELECT ${paperSelect} FROM papers p WHERE p.day = $1 ORDER BY p.upvotes DESC, p.comments DESC, p.paper_id COLLATE "C"`,
  extent: 'SELECT count(DISTINCT day)::integer AS days, count(*)::integer AS papers, min(day) AS first, max(day) AS last FROM papers',
  newestDay: 'SELECT max(day) AS day FROM papers',
  /**
   * A page ($4 rows from $5) of the papers matching, with how many match in all, and for each the
   * newest edition of its day that carried it. MATERIALIZED: each paper found is ranked once, and
   * the count runs over narrow rows.
   */
  search: `WITH matched AS MATERIALIZED (
      SELECT p.id, ${relevance} AS score, p.upvotes, p.day, p.paper_id
      ${matching}
    ), page AS (
      SELECT p.id, p.score, count(*) OVER () AS total FROM matched p ORDER BY p.score DESC, ${tieBreaks} LIMIT $4 OFFSET $5
    )
    SELECT ${paperSelect}, page.total, carrier.id AS edition_id, carrier.list AS edition_list
    FROM page JOIN papers p ON p.id = page.id
    LEFT JOIN LATERAL (
      SELECT e.id, l.name AS list FROM editions e JOIN lists l ON l.id = e.list_id
      WHERE e.day = p.day AND e.papers @> jsonb_build_array(jsonb_build_object('id', p.paper_id)) ORDER BY e.id DESC LIMIT 1
    ) carrier ON true
    ORDER BY page.score DESC, ${tieBreaks}`,
  /** How many match, for a page past the last (which has no row to carry the total). */
  count: `SELECT count(*)::integer AS n ${matching}`,
  removeDemo: `DELETE FROM papers WHERE source = 'sample'`,
} as const;
