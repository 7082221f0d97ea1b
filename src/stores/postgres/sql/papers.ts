import { changingPaperColumns, paperColumns, paperSelect } from '../../common/index.js';
import { checkedMatch, documentOf, searchTextColumns } from '../paper-index.js';

/**
 * Where a paper found ranks (lower first), as on SQLite: its title holds the whole search (the
 * document's A words alone), else its keywords do (B), else it was found through its abstract,
 * its authors or its fields together.
 */
const tier = `CASE WHEN ts_filter(n.document, '{a}') @@ q.query THEN 0 WHEN ts_filter(n.document, '{b}') @@ q.query THEN 1 ELSE 2 END`;
/** After the tier, the order both backends break ties in; "C": ids sort byte by byte, as SQLite sorts them. */
const tieBreaks = 'upvotes DESC, day DESC, paper_id COLLATE "C"';

/** The papers archive's statements on PostgreSQL. */
export const paperSql = {
  /**
   * A whole day in one statement, $1 a JSON array of records named like the columns, with each
   * paper's search text (paperSearchText) to index: a paper already kept is rewritten only when
   * something in it changed; each row written says whether it is new.
   */
  upsert: `INSERT INTO papers (${paperColumns.join(', ')}, kept_at, document)
    SELECT ${paperColumns.map((column) => `r.${column}`).join(', ')}, now(), ${documentOf('r')}
    FROM jsonb_to_recordset($1::jsonb) AS r(day text, paper_id text, source text, title text, summary text, ai_summary text, authors jsonb, keywords jsonb,
      upvotes integer, comments integer, published_at text, organization text, github_repo text, github_stars integer, project_page text, thumbnail text,
      ${searchTextColumns})
    ON CONFLICT (day, paper_id) DO UPDATE SET ${changingPaperColumns.map((column) => `${column} = excluded.${column}`).join(', ')},
      document = excluded.document
    WHERE (${changingPaperColumns.map((column) => `papers.${column}`).join(', ')}) IS DISTINCT FROM (${changingPaperColumns.map((column) => `excluded.${column}`).join(', ')})
    RETURNING (xmax = 0) AS added`,
  ofDay: `SELECT ${paperSelect} FROM papers p WHERE p.day = $1 ORDER BY p.upvotes DESC, p.comments DESC, p.paper_id COLLATE "C"`,
  extent: 'SELECT count(DISTINCT day)::integer AS days, count(*)::integer AS papers, min(day) AS first, max(day) AS last FROM papers',
  newestDay: 'SELECT max(day) AS day FROM papers',
  /**
   * A page ($5 rows from $6) of the papers matching the to_tsquery expression $1 in days [$3, $4]
   * (NULL: unbounded), ranked among the newest $7 of them, with how many match up to $7 + 1, the
   * day of the oldest ranked, and for each paper the newest edition of its day that carried it.
   * Always one row at least: when the page is empty, without a paper.
   *
   * $2 is the words $1 needs (tsqueryWords): the GIN index is asked for those, and $1 itself is
   * checked only on the papers read, through ${checkedMatch} (paper-index.ts), which the planner takes to
   * pass nearly every paper that holds the words. So it walks the newest papers (papers_newest) for
   * a search whose words are common and stops at the $7th match, and fetches the few papers that
   * hold them through the index for a rare one.
   */
  search: `WITH newest AS MATERIALIZED (
      SELECT p.id, p.day, p.upvotes, p.paper_id, p.document
      FROM papers p, to_tsquery('paperboy_english', $1) AS q(query), to_tsquery('paperboy_english', $2) AS w(words)
      WHERE p.document @@ w.words AND p.document ${checkedMatch} q.query AND ($3::text IS NULL OR p.day >= $3) AND ($4::text IS NULL OR p.day <= $4)
      ORDER BY p.day DESC, p.id DESC LIMIT $7 + 1
    ), ranked AS MATERIALIZED (
      SELECT n.id, n.day, n.upvotes, n.paper_id, ${tier} AS tier
      FROM (SELECT * FROM newest ORDER BY day DESC, id DESC LIMIT $7) n, to_tsquery('paperboy_english', $1) AS q(query)
    ), page AS (
      SELECT id, tier FROM ranked ORDER BY tier, ${tieBreaks} LIMIT $5 OFFSET $6
    )
    SELECT found.matched, found.oldest, hit.* FROM (
      SELECT (SELECT count(*) FROM newest)::integer AS matched, (SELECT min(day) FROM ranked) AS oldest
    ) found LEFT JOIN (
      SELECT ${paperSelect}, page.tier, carrier.id AS edition_id, carrier.list AS edition_list
      FROM page JOIN papers p ON p.id = page.id
      LEFT JOIN LATERAL (
        SELECT e.id, l.name AS list FROM editions e JOIN lists l ON l.id = e.list_id
        WHERE e.day = p.day AND e.papers @> jsonb_build_array(jsonb_build_object('id', p.paper_id)) ORDER BY e.id DESC LIMIT 1
      ) carrier ON true
    ) hit ON true
    ORDER BY hit.tier, hit.upvotes DESC, hit.day DESC, hit.paper_id COLLATE "C"`,
  removeDemo: `DELETE FROM papers WHERE source = 'sample'`,
} as const;
