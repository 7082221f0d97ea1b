import { demoEditionsWhere, editionColumns } from '../../common/index.js';

/** Newest first, a weekly edition ("2026-W34") where its week ends (its Sunday); on a tie the weekly one comes first. */
const newestFirst = (day: string) =>
  `CASE WHEN ${day} ~ '^\\d{4}-W\\d{2}$' THEN to_char(to_date(${day}, 'IYYY-"W"IW') + 6, 'YYYY-MM-DD') ELSE ${day} END DESC, ${day} DESC`;

/** The edition store's statements on PostgreSQL. */
export const editionSql = {
  byListAndDay: `SELECT ${editionColumns} FROM editions e JOIN lists l ON l.id = e.list_id WHERE l.name = $1 AND e.day = $2`,
  byId: `SELECT ${editionColumns} FROM editions e JOIN lists l ON l.id = e.list_id WHERE e.id = $1`,
  latestIdOfDay: 'SELECT max(id) AS id FROM editions WHERE day = $1',
  listId: 'SELECT id FROM lists WHERE name = $1',
  /** Exactly one process creates an edition: it gets the id back, any other that raced it nothing. */
  insert: `INSERT INTO editions (list_id, day, source, papers, templates, templates_version, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, now()) ON CONFLICT (list_id, day) DO NOTHING RETURNING id`,
  recordTransport: 'UPDATE editions SET transport = $1 WHERE id = $2',
  /** The papers of list $1's daily editions in [$2, $3). */
  recentPaperIds: `SELECT p ->> 'id' AS id FROM editions e JOIN lists l ON l.id = e.list_id, jsonb_array_elements(e.papers) p
    WHERE l.name = $1 AND e.day >= $2 AND e.day < $3 AND e.day NOT LIKE '%-W%'`,
  /** Of list $1, or of every list when it is NULL; at most $2. */
  summaries: `SELECT e.id, l.name AS list, e.day, jsonb_array_length(e.papers) AS papers, e.created_at, e.completed_at
    FROM editions e JOIN lists l ON l.id = e.list_id
    WHERE ($1::text IS NULL OR l.name = $1) ORDER BY ${newestFirst('e.day')}, l.name LIMIT $2`,
  /** Of each of the editions $1 at once. */
  deliveryCounts: 'SELECT edition_id, status, count(*) AS n FROM deliveries WHERE edition_id = ANY($1) GROUP BY edition_id, status',
  markCompleted: 'UPDATE editions SET completed_at = coalesce(completed_at, now()) WHERE id = $1',
  archiveDays: `SELECT * FROM (
      SELECT DISTINCT ON (e.day) e.day, e.id AS "editionId", jsonb_array_length(e.papers) AS papers,
        min(e.created_at) OVER (PARTITION BY e.day) AS "createdAt"
      FROM editions e ORDER BY e.day, e.id DESC
    ) newest ORDER BY ${newestFirst('newest.day')} LIMIT $1`,
  removeDemo: `DELETE FROM editions WHERE ${demoEditionsWhere}`,
} as const;
