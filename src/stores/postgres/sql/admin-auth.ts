/** The admin side's statements on PostgreSQL. */
export const adminAuthSql = {
  /** Ended by $1 (absolute) or idle since $2. */
  dropEndedSessions: 'DELETE FROM admin_sessions WHERE expires_at <= $1 OR last_seen_at <= $2',
  /** Id hash, account, now, expiry, address. */
  startSession: `INSERT INTO admin_sessions (id_hash, account, created_at, last_seen_at, expires_at, ip) VALUES ($1, $2, $3, $3, $4, $5)`,
  /** Session $1 at $2, idle since $3. */
  touchSession: `UPDATE admin_sessions SET last_seen_at = $2 WHERE id_hash = $1 AND expires_at > $2 AND last_seen_at > $3 RETURNING account`,
  endSession: 'DELETE FROM admin_sessions WHERE id_hash = $1',
  dropExpiredLinks: 'DELETE FROM admin_links WHERE expires_at <= $1',
  addLink: 'INSERT INTO admin_links (token_hash, created_at, expires_at) VALUES ($1, $2, $3)',
  /** Link $1 at $2. */
  useLink: 'UPDATE admin_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2',
  forgetAttemptsBefore: 'DELETE FROM admin_login_failures WHERE at < $1',
  /** Each key of $1 at $2, for attempt $3. */
  noteAttempt: 'INSERT INTO admin_login_failures (key, at, attempt) SELECT key, $2, $3 FROM unnest($1::text[]) AS key',
  /** The most attempts one key of $1 had since $2. */
  attemptsSince: `SELECT coalesce(max(n), 0) AS n FROM (SELECT count(*) AS n FROM admin_login_failures WHERE key = ANY($1::text[]) AND at >= $2 GROUP BY key) AS per_key`,
  forgetAttempt: 'DELETE FROM admin_login_failures WHERE attempt = $1',
  recordAudit: 'INSERT INTO admin_audit (at, account, ip, action, target, detail) VALUES ($1, $2, $3, $4, $5, $6)',
  auditTrail: 'SELECT * FROM admin_audit ORDER BY id DESC LIMIT $1',
} as const;
