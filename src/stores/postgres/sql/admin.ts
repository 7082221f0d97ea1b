import { domainsShown } from '../../../admin/index.js';
import { acted } from '../../common/index.js';

/** An edition with its list and paper count (common/admin-reads.ts EditionHeadRow). */
const head =
  'e.id, l.name AS list, e.day, jsonb_array_length(e.papers) AS papers, e.created_at, e.completed_at FROM editions e JOIN lists l ON l.id = e.list_id';

/** The domain of a reader's address (`s` the subscriber). */
const domain = `substr(s.email_key, strpos(s.email_key, '@') + 1)`;

/** The admin dashboard's statements on PostgreSQL (the SQL `editions show` runs is ledgerSql's, reused as it is). */
export const adminSql = {
  statusBefore: `SELECT '' AS day, status, sum(entered) AS entered, sum(exited) AS exited FROM reader_status_days WHERE day < $1 GROUP BY status`,
  statusFrom: `SELECT day, status, sum(entered) AS entered, sum(exited) AS exited FROM reader_status_days WHERE day >= $1 GROUP BY day, status ORDER BY day, status`,
  /** The $1 newest editions and every one made since $2. */
  recentEditions: `SELECT ${head}
    WHERE e.id IN (SELECT id FROM editions ORDER BY created_at DESC, id DESC LIMIT $1) OR e.created_at >= $2
    ORDER BY e.created_at DESC, e.id DESC`,
  edition: `SELECT e.papers AS paper_list, ${head} WHERE e.id = $1`,
  snapshots: 'SELECT * FROM edition_counts WHERE edition_id = ANY($1)',
  /** Complete, and no sender holds a live lease on it. */
  finished: `SELECT 1 FROM editions e WHERE e.id = $1 AND e.completed_at IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM delivery_runs r WHERE r.edition_id = e.id AND r.lease_until > now())`,
  sentSpan: `SELECT min(sent_at) AS first_sent_at, max(sent_at) AS last_sent_at FROM deliveries WHERE edition_id = $1 AND status = 'sent'`,
  failedDomains: `SELECT ${domain} AS domain, count(*) AS failed FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
    WHERE d.edition_id = $1 AND d.status = 'failed' GROUP BY 1 ORDER BY count(*) DESC, ${domain} COLLATE "C" LIMIT ${domainsShown}`,
  /** The values of common/admin-reads.ts snapshotValues. */
  keepSnapshot: `INSERT INTO edition_counts (edition_id, pending, sending, sent, retry, failed, skipped, first_sent_at, last_sent_at, failure_groups, failed_domains, relays, counted_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (edition_id) DO NOTHING`,
  feedback: `SELECT edition_id, count(DISTINCT subscriber_id) FILTER (WHERE kind = 'bounce') AS bounces,
      count(DISTINCT subscriber_id) FILTER (WHERE kind = 'complaint') AS complaints
    FROM bounce_events WHERE edition_id = ANY($1) AND ${acted} GROUP BY edition_id`,
  reportsByDomain: `SELECT ${domain} AS domain, count(DISTINCT b.subscriber_id) FILTER (WHERE b.kind = 'bounce') AS bounced,
      count(DISTINCT b.subscriber_id) FILTER (WHERE b.kind = 'complaint') AS complained
    FROM bounce_events b JOIN subscribers s ON s.id = b.subscriber_id WHERE b.edition_id = $1 AND b.${acted} GROUP BY 1`,
  liveRuns: `SELECT r.id, r.edition_id AS "editionId", e.day, l.name AS list, r.started_at AS "startedAt", r.lease_until AS "leaseUntil"
    FROM delivery_runs r JOIN editions e ON e.id = r.edition_id JOIN lists l ON l.id = e.list_id
    WHERE r.lease_until > $1 ORDER BY r.edition_id, r.started_at, r.id`,
  runProgress: 'SELECT claimed_by AS run, status, count(*) AS n FROM deliveries WHERE edition_id = $1 GROUP BY claimed_by, status',
  readerChanges: 'SELECT at, from_status AS "from", status FROM subscriber_events WHERE subscriber_id = $1 ORDER BY at, id',
  readerEditions: `SELECT d.edition_id AS "editionId", e.day, l.name AS list, d.status, d.sent_at AS "sentAt"
    FROM deliveries d JOIN editions e ON e.id = d.edition_id JOIN lists l ON l.id = e.list_id
    WHERE d.subscriber_id = $1 ORDER BY e.created_at DESC, e.id DESC LIMIT 100`,
  readerReports: 'SELECT * FROM bounce_events WHERE subscriber_id = $1 ORDER BY received_at DESC, id DESC LIMIT 100',
} as const;
