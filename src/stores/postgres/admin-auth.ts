import type { AdminAuthStore, AuditEntry, NewAdminSession, StoredAuditEntry } from '../../admin/index.js';
import { type AuditRow, auditValues, toAuditEntry } from '../common/index.js';
import type { PgQueryable } from './pool.js';
import { adminAuthSql } from './sql/index.js';

export class PostgresAdminAuthStore implements AdminAuthStore {
  constructor(private readonly db: PgQueryable) {}

  async startSession(session: NewAdminSession, idleSince: Date): Promise<void> {
    const now = session.createdAt.toISOString();
    await this.db.query(adminAuthSql.dropEndedSessions, [now, idleSince.toISOString()]);
    await this.db.query(adminAuthSql.startSession, [session.idHash, session.account, now, session.expiresAt.toISOString(), session.ip]);
  }

  async touchSession(idHash: string, now: Date, idleSince: Date): Promise<{ account: string } | undefined> {
    const { rows } = await this.db.query<{ account: string }>(adminAuthSql.touchSession, [idHash, now.toISOString(), idleSince.toISOString()]);
    return rows[0];
  }

  async endSession(idHash: string): Promise<boolean> {
    return (await this.db.query(adminAuthSql.endSession, [idHash])).rowCount === 1;
  }

  async addLink(tokenHash: string, createdAt: Date, expiresAt: Date): Promise<void> {
    await this.db.query(adminAuthSql.dropExpiredLinks, [createdAt.toISOString()]);
    await this.db.query(adminAuthSql.addLink, [tokenHash, createdAt.toISOString(), expiresAt.toISOString()]);
  }

  async useLink(tokenHash: string, now: Date): Promise<boolean> {
    return (await this.db.query(adminAuthSql.useLink, [tokenHash, now.toISOString()])).rowCount === 1;
  }

  // Three statements, each committed before the next: an attempt is visible to every other
  // process's count before this one counts, so attempts sent at once cannot all pass.
  async noteAttempt(attempt: string, keys: readonly string[], at: Date, since: Date): Promise<number> {
    await this.db.query(adminAuthSql.forgetAttemptsBefore, [since.toISOString()]);
    await this.db.query(adminAuthSql.noteAttempt, [keys, at.toISOString(), attempt]);
    return (await this.db.query<{ n: number }>(adminAuthSql.attemptsSince, [keys, since.toISOString()])).rows[0]!.n;
  }

  async forgetAttempt(attempt: string): Promise<void> {
    await this.db.query(adminAuthSql.forgetAttempt, [attempt]);
  }

  async recordAudit(entry: AuditEntry): Promise<void> {
    await this.db.query(adminAuthSql.recordAudit, auditValues(entry));
  }

  async auditTrail(limit: number): Promise<StoredAuditEntry[]> {
    return (await this.db.query<AuditRow>(adminAuthSql.auditTrail, [limit])).rows.map(toAuditEntry);
  }
}
