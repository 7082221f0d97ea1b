import { demoEditionsWhere, editionColumns } from '../../common/index.js';

/**
 * Newest first, a weekly edition ("2026-W34") where its week ends: sorted by its Sunday, not by
 * its key (which as text sorts above every date of its year); on a tie the weekly one comes first.
 */
const newestFirst = `CASE WHEN e.day GLOB '[0-9][0-9][0-9][0-9]-W[0-9][0-9]'
    THEN date(substr(e.day, 1, 4) || '-01-04', 'weekday 0', '-6 days', '+' || ((CAST(substr(e.day, 7) AS INTEGER) - 1) * 7 + 6) || ' days')
    ELSE e.day END DESC, e.day DESC`;

/** The edition store's statements on SQLite. */
export const editionSql = {
  byListAndDay: `SELECT ${editionColumns} FROM editions e JOIN lists l ON l.id = e.list_id WHERE l.name = ? AND e.day = ?`,
  byId: `SELECT ${editionColumns} FROM editions e JOIN lists l ON l.id = e.list_id WHERE e.id = ?`,
  latestIdOfDay: 'SELECT max(id) AS id FROM editions WHERE day = ?',
  listId: 'SELECT id FROM lists WHERE name = ?',
  insert: `INSERT INTO editions (list_id, day, source, papers, templates, templates_version, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (list_id, day) DO NOTHING`,
  recordTransport: 'UPDATE editions SET transport = ? WHERE id = ?',
  /** The papers of a list's daily editions in [since, day). */
  recentPaperIds: `SELECT p.value ->> '$.id' AS id FROM editions e JOIN lists l ON l.id = e.list_id, json_each(e.papers) p
    WHERE l.name = ? AND e.day >= ? AND e.day < ? AND e.day NOT LIKE '%-W%'`,
  /** Of one list when the first two parameters name it, of every list when they are NULL. */
  summaries: `SELECT e.id, l.name AS list, e.day, json_array_length(e.papers) AS papers, e.created_at, e.completed_at
    FROM editions e JOIN lists l ON l.id = e.list_id
    WHERE (? IS NULL OR l.name = ?) ORDER BY ${newestFirst}, l.name LIMIT ?`,
  deliveryCounts: 'SELECT status, count(*) AS n FROM deliveries WHERE edition_id = ? GROUP BY status',
  markCompleted: 'UPDATE editions SET completed_at = coalesce(completed_at, ?) WHERE id = ?',
  archiveDays: `SELECT e.day, max(e.id) AS editionId, json_array_length(e.papers) AS papers, min(e.created_at) AS createdAt
    FROM editions e GROUP BY e.day ORDER BY ${newestFirst} LIMIT ?`,
  removeDemo: `DELETE FROM editions WHERE ${demoEditionsWhere}`,
} as const;
