/** Someone still active, on the list still (they may have left since the row was made). */
const activeOnList = `EXISTS (SELECT 1 FROM subscribers s JOIN list_members m ON m.subscriber_id = s.id
  WHERE s.id = @subscriberId AND s.status = 'active' AND m.status = 'active'
    AND m.list_id = (SELECT id FROM lists WHERE name = @list))`;

/** Rows due now that nobody holds, after `@after`. */
const due = `d.edition_id = @editionId AND d.claimed_by IS NULL AND d.subscriber_id > @after
  AND (d.status = 'pending' OR (d.status = 'retry' AND d.next_attempt_at <= @now))`;

/** Rows whose run is gone: their claims mean nothing any more. */
const orphaned = `edition_id = ? AND claimed_by IS NOT NULL AND claimed_by NOT IN (SELECT id FROM delivery_runs)`;

/** The ledger's statements on SQLite, where one sender at a time holds an edition. */
export const ledgerSql = {
  dayOfEdition: 'SELECT day FROM editions WHERE id = ?',
  /** One statement: SQLite streams the subscribers through, so memory does not grow with the list. */
  enqueue: `INSERT INTO deliveries (edition_id, subscriber_id, status, message_id)
    SELECT @editionId, s.id, 'pending', '<' || @day || '.' || CAST(@editionId AS INTEGER) || '.' || s.id || '.' || @store || '.' || @mac || '@' || @domain || '>'
    FROM subscribers s JOIN list_members m ON m.subscriber_id = s.id
    WHERE m.list_id = (SELECT id FROM lists WHERE name = @list) AND m.status = 'active' AND s.status = 'active'
      AND (s.frequency IN (SELECT value FROM json_each(@frequencies))
        OR (s.frequency = 'alerts' AND s.alerts IN (SELECT value FROM json_each(@alertSets))))
      AND (s.demo = 0 OR @withDemo = 1)
    ON CONFLICT (edition_id, subscriber_id) DO NOTHING`,
  alertSets: `SELECT s.alerts, count(*) AS readers FROM subscribers s JOIN list_members m ON m.subscriber_id = s.id
    WHERE m.list_id = (SELECT id FROM lists WHERE name = ?) AND m.status = 'active' AND s.status = 'active' AND s.frequency = 'alerts'
    GROUP BY s.alerts`,

  runsOfEdition: 'SELECT id, lease_until FROM delivery_runs WHERE edition_id = ?',
  startRun: 'INSERT OR REPLACE INTO delivery_runs (id, edition_id, started_at, lease_until) VALUES (?, ?, ?, ?)',
  renewRun: 'UPDATE delivery_runs SET lease_until = ? WHERE id = ? AND edition_id = ?',
  runAlive: 'SELECT 1 FROM delivery_runs WHERE id = ?',
  removeRun: 'DELETE FROM delivery_runs WHERE id = ?',
  /** In flight for a run that is gone (or for none): they go again, with the same Message-ID. */
  freeInFlight: `UPDATE deliveries SET status = 'pending', claimed_by = NULL WHERE status = 'sending' AND (${orphaned} OR (edition_id = ? AND claimed_by IS NULL))`,
  freeReserved: `UPDATE deliveries SET claimed_by = NULL WHERE status IN ('pending', 'retry') AND ${orphaned}`,
  releaseReserved: `UPDATE deliveries SET claimed_by = NULL WHERE edition_id = ? AND claimed_by = ? AND status IN ('pending', 'retry')`,
  rowsHeldByOthers: `SELECT count(*) AS rows FROM deliveries WHERE edition_id = ? AND claimed_by IS NOT NULL AND claimed_by <> ? AND status IN ('pending', 'retry', 'sending')`,
  othersLeaseEnd: 'SELECT min(lease_until) AS until FROM delivery_runs WHERE edition_id = ? AND id <> ?',
  takeSendSlots: `INSERT INTO send_pacing (edition_id, next_slot_ms) VALUES (@editionId, @now + @span)
    ON CONFLICT (edition_id) DO UPDATE SET next_slot_ms = max(send_pacing.next_slot_ms, @now) + @span
    RETURNING next_slot_ms - @span AS start`,
  dueRetries: `SELECT DISTINCT l.name AS list, e.day FROM deliveries d JOIN editions e ON e.id = d.edition_id JOIN lists l ON l.id = e.list_id
    WHERE d.status = 'retry' AND d.next_attempt_at <= ? ORDER BY e.day, l.name`,

  dueRows: `SELECT d.subscriber_id, d.message_id, d.attempts, d.deferred_since, s.email, s.name, s.topics, s.max_papers, s.frequency, s.alerts
    FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE ${due} ORDER BY d.subscriber_id LIMIT @limit`,
  /** Same predicate, same transaction: exactly the rows just read. */
  reserve: `UPDATE deliveries AS d SET claimed_by = @owner WHERE ${due} AND d.subscriber_id <= @last`,
  claim: `UPDATE deliveries SET status = 'sending', attempts = attempts + 1, claimed_at = @now
    WHERE edition_id = @editionId AND subscriber_id = @subscriberId AND claimed_by = @owner
      AND status IN ('pending', 'retry') AND ${activeOnList}`,
  skip: `UPDATE deliveries SET status = 'skipped', last_error = 'no longer subscribed', claimed_by = NULL
    WHERE edition_id = ? AND subscriber_id = ? AND claimed_by = ? AND status IN ('pending', 'retry')`,
  markSent: `UPDATE deliveries SET status = 'sent', sent_at = @now, last_error = NULL, failure_kind = NULL, next_attempt_at = NULL, deferred_since = NULL,
      relay = @relay
    WHERE edition_id = @editionId AND subscriber_id = @subscriberId AND claimed_by = @owner AND status = 'sending'`,
  markWaiting: `UPDATE deliveries SET status = 'retry', last_error = @reason, failure_kind = @kind, next_attempt_at = @at,
      deferred_since = CASE WHEN @kind = 'deferred' THEN coalesce(deferred_since, @now) ELSE deferred_since END,
      attempts = max(attempts - @giveBack, 0), claimed_by = NULL
    WHERE edition_id = @editionId AND subscriber_id = @subscriberId AND claimed_by = @owner AND status = 'sending'`,
  markFailed: `UPDATE deliveries SET status = 'failed', last_error = @reason, failure_kind = @kind, next_attempt_at = NULL, relay = @relay
    WHERE edition_id = @editionId AND subscriber_id = @subscriberId AND claimed_by = @owner AND status = 'sending'`,
  requeue: `UPDATE deliveries SET status = 'retry', next_attempt_at = ?, attempts = max(attempts - 1, 0), last_error = ?, failure_kind = 'sender', claimed_by = NULL
    WHERE edition_id = ? AND claimed_by = ? AND status = 'failed' AND subscriber_id IN (SELECT value FROM json_each(?))`,
  retryFailed: `UPDATE deliveries SET status = 'retry', next_attempt_at = ?, attempts = 0, deferred_since = NULL, claimed_by = NULL
    WHERE edition_id = ? AND status = 'failed' AND coalesce(failure_kind, '') <> 'bounce'`,
  setAsideDemo: `UPDATE deliveries SET status = 'skipped', last_error = ?, next_attempt_at = NULL, claimed_by = NULL
    WHERE edition_id = ? AND status IN ('pending', 'retry') AND subscriber_id IN (SELECT id FROM subscribers WHERE demo = 1)`,
  settledAmong: `SELECT subscriber_id AS id FROM deliveries WHERE edition_id = ? AND status IN ('sent', 'failed', 'skipped')
    AND subscriber_id IN (SELECT value FROM json_each(?))`,
  /** One statement at the end of a run instead of a second write per message. */
  recordLastSent: `UPDATE subscribers SET last_sent_at = d.sent_at FROM deliveries d
    WHERE d.edition_id = ? AND d.subscriber_id = subscribers.id AND d.status = 'sent'
      AND (subscribers.last_sent_at IS NULL OR subscribers.last_sent_at < d.sent_at)`,

  countsByStatus: 'SELECT status, count(*) AS n FROM deliveries WHERE edition_id = ? GROUP BY status',
  nextRetryAt: `SELECT min(next_attempt_at) AS next FROM deliveries WHERE edition_id = ? AND status = 'retry'`,
  relayCounts: `SELECT relay, sum(CASE WHEN status = 'sent' THEN 1 ELSE 0 END) AS sent, sum(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS failed
    FROM deliveries WHERE edition_id = ? AND relay IS NOT NULL GROUP BY relay ORDER BY relay`,
  failureGroups: `SELECT CASE status WHEN 'failed' THEN 'failed' ELSE 'waiting' END AS status, coalesce(failure_kind, 'unknown') AS kind,
      last_error AS reason, count(*) AS count
    FROM deliveries WHERE edition_id = ? AND status IN ('failed', 'retry', 'pending') AND last_error IS NOT NULL
    GROUP BY 1, 2, 3 ORDER BY count DESC, reason`,
  failures: `SELECT d.subscriber_id AS subscriberId, s.email, CASE d.status WHEN 'failed' THEN 'failed' ELSE 'waiting' END AS status,
      coalesce(d.failure_kind, 'unknown') AS kind, d.last_error AS reason, d.attempts, d.next_attempt_at AS nextAttemptAt
    FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
    WHERE d.edition_id = ? AND d.status IN ('failed', 'retry', 'pending') AND d.last_error IS NOT NULL
    ORDER BY d.status, s.email LIMIT ?`,
} as const;
