/** The admin side's statements on SQLite (timestamps as ISO text, which orders as time). */
export const adminAuthSql = {
  dropEndedSessions: 'DELETE FROM admin_sessions WHERE expires_at <= @now OR last_seen_at <= @idleSince',
  startSession: `INSERT INTO admin_sessions (id_hash, account, created_at, last_seen_at, expires_at, ip) VALUES (@idHash, @account, @now, @now, @expiresAt, @ip)`,
  touchSession: `UPDATE admin_sessions SET last_seen_at = @now WHERE id_hash = @idHash AND expires_at > @now AND last_seen_at > @idleSince RETURNING account`,
  endSession: 'DELETE FROM admin_sessions WHERE id_hash = ?',
  dropExpiredLinks: 'DELETE FROM admin_links WHERE expires_at <= ?',
  addLink: 'INSERT INTO admin_links (token_hash, created_at, expires_at) VALUES (?, ?, ?)',
  useLink: 'UPDATE admin_links SET used_at = @now WHERE token_hash = @tokenHash AND used_at IS NULL AND expires_at > @now',
  forgetAttemptsBefore: 'DELETE FROM admin_login_failures WHERE at < ?',
  noteAttempt: 'INSERT INTO admin_login_failures (key, at, attempt) VALUES (?, ?, ?)',
  attemptsSince: 'SELECT count(*) AS n FROM admin_login_failures WHERE key = ? AND at >= ?',
  forgetAttempt: 'DELETE FROM admin_login_failures WHERE attempt = ?',
  recordAudit: 'INSERT INTO admin_audit (at, account, ip, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)',
  auditTrail: 'SELECT * FROM admin_audit ORDER BY id DESC LIMIT ?',
} as const;
