/** Rows whose run is gone (its lease ran out, or it was removed): their claims mean nothing any more. */
const orphaned = `claimed_by IS NOT NULL AND claimed_by NOT IN (SELECT id FROM delivery_runs WHERE edition_id = $1)`;

/** How many senders hold a live lease on edition $1. */
const liveSenders = `(SELECT count(*) FROM delivery_runs WHERE edition_id = $1 AND lease_until > now())`;

/** Marked sent, with nothing left of its failures. */
const sent = `status = 'sent', sent_at = now(), last_error = NULL, failure_kind = NULL, next_attempt_at = NULL, deferred_since = NULL`;

/**
 * The ledger's statements on PostgreSQL, where any number of senders share an edition. Times are
 * the database's clock (now()), so senders on several machines agree. Most take the edition as
 * $1, and where a run is concerned, the subscriber(s) as $2 and the run (owner) after.
 */
export const ledgerSql = {
  /** Edition $1 of list $2 for the readers of frequencies $5 or alert sets $6 (demo readers only when $8), Message-IDs in domain $3 of store $4 with slot $7. */
  enqueue: `INSERT INTO deliveries (edition_id, subscriber_id, status, message_id)
    SELECT $1, s.id, 'pending', '<' || (SELECT day FROM editions WHERE id = $1) || '.' || $1 || '.' || s.id || '.' || $4 || '.' || $7 || '@' || $3 || '>'
    FROM subscribers s JOIN list_members m ON m.subscriber_id = s.id
    WHERE m.list_id = (SELECT id FROM lists WHERE name = $2) AND m.status = 'active' AND s.status = 'active'
      AND (s.frequency = ANY($5) OR (s.frequency = 'alerts' AND s.alerts = ANY($6::jsonb[])))
      AND (NOT s.demo OR $8)
    ON CONFLICT (edition_id, subscriber_id) DO NOTHING`,
  alertSets: `SELECT s.alerts::text AS alerts, count(*) AS readers FROM subscribers s JOIN list_members m ON m.subscriber_id = s.id
    WHERE m.list_id = (SELECT id FROM lists WHERE name = $1) AND m.status = 'active' AND s.status = 'active' AND s.frequency = 'alerts'
    GROUP BY s.alerts`,

  /** One sender at a time looks after an edition's runs. */
  lockEditionRuns: 'SELECT pg_advisory_xact_lock($1)',
  runsOfEdition: 'SELECT id, lease_until < now() AS expired FROM delivery_runs WHERE edition_id = $1',
  removeRuns: 'DELETE FROM delivery_runs WHERE id = ANY($1)',
  /** Run $1 on edition $2, its lease $3 ms. */
  startRun: `INSERT INTO delivery_runs (id, edition_id, started_at, lease_until) VALUES ($1, $2, now(), now() + $3 * interval '1 millisecond')
    ON CONFLICT (id) DO UPDATE SET lease_until = excluded.lease_until`,
  /** Run $2 of edition $1 for $3 ms more. */
  renewRun: `UPDATE delivery_runs SET lease_until = now() + $3 * interval '1 millisecond' WHERE id = $2 AND edition_id = $1
    RETURNING ${liveSenders} AS senders`,
  runAlive: 'SELECT 1 FROM delivery_runs WHERE id = $1',
  removeRun: 'DELETE FROM delivery_runs WHERE id = $1',
  freeInFlight: `UPDATE deliveries SET status = 'pending', claimed_by = NULL WHERE edition_id = $1 AND status = 'sending' AND (claimed_by IS NULL OR ${orphaned})`,
  freeReserved: `UPDATE deliveries SET claimed_by = NULL WHERE edition_id = $1 AND status IN ('pending', 'retry') AND ${orphaned}`,
  releaseReserved: `UPDATE deliveries SET claimed_by = NULL WHERE edition_id = $1 AND claimed_by = $2 AND status IN ('pending', 'retry')`,
  heldByOthers: `SELECT (SELECT count(*) FROM deliveries WHERE edition_id = $1 AND claimed_by IS NOT NULL AND claimed_by <> $2 AND status IN ('pending', 'retry', 'sending')) AS rows,
      (SELECT min(lease_until) FROM delivery_runs WHERE edition_id = $1 AND id <> $2) AS until`,
  /** $2 ms of sending on edition $1: how long to wait before they start. */
  takeSendSlots: `INSERT INTO send_pacing (edition_id, next_slot) VALUES ($1, clock_timestamp() + $2 * interval '1 millisecond')
    ON CONFLICT (edition_id) DO UPDATE SET next_slot = greatest(send_pacing.next_slot, clock_timestamp()) + $2 * interval '1 millisecond'
    RETURNING greatest(0, extract(epoch FROM (send_pacing.next_slot - $2 * interval '1 millisecond' - clock_timestamp())) * 1000)::float8 AS wait_ms`,
  dueRetries: `SELECT DISTINCT l.name AS list, e.day FROM deliveries d JOIN editions e ON e.id = d.edition_id JOIN lists l ON l.id = e.list_id
    WHERE d.status = 'retry' AND d.next_attempt_at <= $1 ORDER BY e.day, l.name`,

  /** For run $2: up to $5 rows of edition $1 due at $4 after subscriber $3, skipping those another sender is reserving. */
  reserve: `WITH picked AS (
      SELECT edition_id, subscriber_id FROM deliveries
      WHERE edition_id = $1 AND claimed_by IS NULL AND subscriber_id > $3
        AND (status = 'pending' OR (status = 'retry' AND next_attempt_at <= $4))
      ORDER BY subscriber_id LIMIT $5
      FOR UPDATE SKIP LOCKED
    ), taken AS (
      UPDATE deliveries d SET claimed_by = $2 FROM picked p
      WHERE d.edition_id = p.edition_id AND d.subscriber_id = p.subscriber_id
      RETURNING d.subscriber_id, d.message_id, d.attempts, d.deferred_since
    )
    SELECT t.subscriber_id, t.message_id, t.attempts, t.deferred_since, s.email, s.name, s.topics, s.max_papers, s.frequency, s.alerts
    FROM taken t JOIN subscribers s ON s.id = t.subscriber_id ORDER BY t.subscriber_id`,
  /** Subscriber $2 on list $3 still, for run $4. */
  claim: `UPDATE deliveries SET status = 'sending', attempts = attempts + 1, claimed_at = now()
    WHERE edition_id = $1 AND subscriber_id = $2 AND claimed_by = $4 AND status IN ('pending', 'retry')
      AND EXISTS (SELECT 1 FROM subscribers s JOIN list_members m ON m.subscriber_id = s.id
        WHERE s.id = $2 AND s.status = 'active' AND m.status = 'active' AND m.list_id = (SELECT id FROM lists WHERE name = $3))`,
  /** The subscribers $2 on list $3 still, for run $4. */
  claimMany: `UPDATE deliveries d SET status = 'sending', attempts = attempts + 1, claimed_at = now()
    WHERE d.edition_id = $1 AND d.subscriber_id = ANY($2) AND d.claimed_by = $4 AND d.status IN ('pending', 'retry')
      AND EXISTS (SELECT 1 FROM subscribers s JOIN list_members m ON m.subscriber_id = s.id
        WHERE s.id = d.subscriber_id AND s.status = 'active' AND m.status = 'active' AND m.list_id = (SELECT id FROM lists WHERE name = $3))
    RETURNING d.subscriber_id`,
  skip: `UPDATE deliveries SET status = 'skipped', last_error = 'no longer subscribed', claimed_by = NULL
    WHERE edition_id = $1 AND subscriber_id = $2 AND claimed_by = $3 AND status IN ('pending', 'retry')`,
  skipMany: `UPDATE deliveries SET status = 'skipped', last_error = 'no longer subscribed', claimed_by = NULL
    WHERE edition_id = $1 AND subscriber_id = ANY($2) AND claimed_by = $3 AND status IN ('pending', 'retry') RETURNING subscriber_id`,
  /** Through relay $4 (NULL: one transport). */
  markSent: `UPDATE deliveries SET ${sent}, relay = $4
    WHERE edition_id = $1 AND subscriber_id = $2 AND claimed_by = $3 AND status = 'sending'`,
  /** The subscribers $2, each through the relay at the same place of $4: one statement for the batch. */
  markSentMany: `UPDATE deliveries d SET ${sent}, relay = marks.relay
    FROM unnest($2::bigint[], $4::text[]) AS marks (subscriber_id, relay)
    WHERE d.edition_id = $1 AND d.subscriber_id = marks.subscriber_id AND d.claimed_by = $3 AND d.status = 'sending' RETURNING d.subscriber_id`,
  /** Waits with reason $4 of kind $5 until $6, giving back $7 attempts (1: this one did not count). */
  markWaiting: `UPDATE deliveries SET status = 'retry', last_error = $4, failure_kind = $5, next_attempt_at = $6,
      deferred_since = CASE WHEN $5 = 'deferred' THEN coalesce(deferred_since, now()) ELSE deferred_since END,
      attempts = greatest(attempts - $7, 0), claimed_by = NULL
    WHERE edition_id = $1 AND subscriber_id = $2 AND claimed_by = $3 AND status = 'sending'`,
  markFailed: `UPDATE deliveries SET status = 'failed', last_error = $4, failure_kind = $5, next_attempt_at = NULL, relay = $6
    WHERE edition_id = $1 AND subscriber_id = $2 AND claimed_by = $3 AND status = 'sending'`,
  /** Run $2's failed rows of the subscribers $3 go again, for reason $4. */
  requeue: `UPDATE deliveries SET status = 'retry', next_attempt_at = now(), attempts = greatest(attempts - 1, 0), last_error = $4, failure_kind = 'sender', claimed_by = NULL
    WHERE edition_id = $1 AND claimed_by = $2 AND status = 'failed' AND subscriber_id = ANY($3)`,
  retryFailed: `UPDATE deliveries SET status = 'retry', next_attempt_at = now(), attempts = 0, deferred_since = NULL, claimed_by = NULL
    WHERE edition_id = $1 AND status = 'failed' AND coalesce(failure_kind, '') <> 'bounce'`,
  /** The demo readers' rows nobody holds, skipped with reason $2. */
  setAsideDemo: `UPDATE deliveries SET status = 'skipped', last_error = $2, next_attempt_at = NULL, claimed_by = NULL
    WHERE edition_id = $1 AND status IN ('pending', 'retry') AND claimed_by IS NULL AND subscriber_id IN (SELECT id FROM subscribers WHERE demo)`,
  settledAmong: `SELECT subscriber_id AS id FROM deliveries WHERE edition_id = $1 AND status IN ('sent', 'failed', 'skipped') AND subscriber_id = ANY($2::bigint[])`,
  recordLastSent: `UPDATE subscribers s SET last_sent_at = d.sent_at FROM deliveries d
    WHERE d.edition_id = $1 AND d.subscriber_id = s.id AND d.status = 'sent' AND (s.last_sent_at IS NULL OR s.last_sent_at < d.sent_at)`,

  countsByStatus: 'SELECT status, count(*) AS n FROM deliveries WHERE edition_id = $1 GROUP BY status',
  nextRetryAt: `SELECT min(next_attempt_at) AS next FROM deliveries WHERE edition_id = $1 AND status = 'retry' AND claimed_by IS NULL`,
  relayCounts: `SELECT relay, count(*) FILTER (WHERE status = 'sent') AS sent, count(*) FILTER (WHERE status = 'failed') AS failed
    FROM deliveries WHERE edition_id = $1 AND relay IS NOT NULL GROUP BY relay ORDER BY relay COLLATE "C"`, // byte order, as SQLite sorts
  failureGroups: `SELECT CASE status WHEN 'failed' THEN 'failed' ELSE 'waiting' END AS status, coalesce(failure_kind, 'unknown') AS kind,
      last_error AS reason, count(*) AS count
    FROM deliveries WHERE edition_id = $1 AND status IN ('failed', 'retry', 'pending') AND last_error IS NOT NULL
    GROUP BY 1, 2, 3 ORDER BY count DESC, reason`,
  /** Up to $2 of them. */
  failures: `SELECT d.subscriber_id AS "subscriberId", s.email, CASE d.status WHEN 'failed' THEN 'failed' ELSE 'waiting' END AS status,
      coalesce(d.failure_kind, 'unknown') AS kind, d.last_error AS reason, d.attempts, d.next_attempt_at AS "nextAttemptAt"
    FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
    WHERE d.edition_id = $1 AND d.status IN ('failed', 'retry', 'pending') AND d.last_error IS NOT NULL
    ORDER BY 3, s.email LIMIT $2`,
} as const;
