import { domainsShown } from '../../../admin/index.js';
import { acted } from '../../common/index.js';

/** An edition with its list and paper count (common/admin-reads.ts EditionHeadRow). */
const head =
  'e.id, l.name AS list, e.day, json_array_length(e.papers) AS papers, e.created_at, e.completed_at FROM editions e JOIN lists l ON l.id = e.list_id';

/** The domain of a reader's address (`s` the subscriber). */
const domain = `substr(s.email_key, instr(s.email_key, '@') + 1)`;

/** The admin dashboard's statements on SQLite (the SQL `editions show` runs is ledgerSql's, reused as it is). */
export const adminSql = {
  statusBefore: `SELECT '' AS day, status, sum(entered) AS entered, sum(exited) AS exited FROM reader_status_days WHERE day < ? GROUP BY status`,
  statusFrom: `SELECT day, status, sum(entered) AS entered, sum(exited) AS exited FROM reader_status_days WHERE day >= ? GROUP BY day, status ORDER BY day, status`,
  recentEditions: `SELECT ${head}
    WHERE e.id IN (SELECT id FROM editions ORDER BY created_at DESC, id DESC LIMIT @limit) OR e.created_at >= @since
    ORDER BY e.created_at DESC, e.id DESC`,
  edition: `SELECT e.papers AS paper_list, ${head} WHERE e.id = ?`,
  snapshots: 'SELECT * FROM edition_counts WHERE edition_id IN (SELECT value FROM json_each(?))',
  /** Complete, and no sender holds a live lease on it. */
  finished: `SELECT 1 FROM editions e WHERE e.id = @id AND e.completed_at IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM delivery_runs r WHERE r.edition_id = e.id AND r.lease_until > @now)`,
  sentSpan: `SELECT min(sent_at) AS first_sent_at, max(sent_at) AS last_sent_at FROM deliveries WHERE edition_id = ? AND status = 'sent'`,
  failedDomains: `SELECT ${domain} AS domain, count(*) AS failed FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
    WHERE d.edition_id = ? AND d.status = 'failed' GROUP BY 1 ORDER BY failed DESC, domain LIMIT ${domainsShown}`,
  /** The values of common/admin-reads.ts snapshotValues. */
  keepSnapshot: `INSERT INTO edition_counts (edition_id, pending, sending, sent, retry, failed, skipped, first_sent_at, last_sent_at, failure_groups, failed_domains, relays, counted_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (edition_id) DO NOTHING`,
  feedback: `SELECT edition_id, count(DISTINCT CASE WHEN kind = 'bounce' THEN subscriber_id END) AS bounces,
      count(DISTINCT CASE WHEN kind = 'complaint' THEN subscriber_id END) AS complaints
    FROM bounce_events WHERE edition_id IN (SELECT value FROM json_each(?)) AND ${acted} GROUP BY edition_id`,
  reportsByDomain: `SELECT ${domain} AS domain, count(DISTINCT CASE WHEN b.kind = 'bounce' THEN b.subscriber_id END) AS bounced,
      count(DISTINCT CASE WHEN b.kind = 'complaint' THEN b.subscriber_id END) AS complained
    FROM bounce_events b JOIN subscribers s ON s.id = b.subscriber_id WHERE b.edition_id = ? AND b.${acted} GROUP BY 1`,
  liveRuns: `SELECT r.id, r.edition_id AS editionId, e.day, l.name AS list, r.started_at AS startedAt, r.lease_until AS leaseUntil
    FROM delivery_runs r JOIN editions e ON e.id = r.edition_id JOIN lists l ON l.id = e.list_id
    WHERE r.lease_until > ? ORDER BY r.edition_id, r.started_at, r.id`,
  runProgress: 'SELECT claimed_by AS run, status, count(*) AS n FROM deliveries WHERE edition_id = ? GROUP BY claimed_by, status',
  readerChanges: 'SELECT at, from_status AS "from", status FROM subscriber_events WHERE subscriber_id = ? ORDER BY at, id',
  readerEditions: `SELECT d.edition_id AS editionId, e.day, l.name AS list, d.status, d.sent_at AS sentAt
    FROM deliveries d JOIN editions e ON e.id = d.edition_id JOIN lists l ON l.id = e.list_id
    WHERE d.subscriber_id = ? ORDER BY e.created_at DESC, e.id DESC LIMIT 100`,
  readerReports: 'SELECT * FROM bounce_events WHERE subscriber_id = ? ORDER BY received_at DESC, id DESC LIMIT 100',
} as const;
