import type { AdminAuthStore, AuditEntry, NewAdminSession, StoredAuditEntry } from '../../admin/index.js';
import { type AuditRow, auditValues, toAuditEntry } from '../common/index.js';
import { type Db, statement } from './open.js';
import { adminAuthSql } from './sql/index.js';

export class SqliteAdminAuthStore implements AdminAuthStore {
  constructor(private readonly db: Db) {}

  async startSession(session: NewAdminSession, idleSince: Date): Promise<void> {
    const now = session.createdAt.toISOString();
    this.db.transaction(() => {
      statement(this.db, adminAuthSql.dropEndedSessions).run({ now, idleSince: idleSince.toISOString() });
      const { idHash, account, ip } = session;
      statement(this.db, adminAuthSql.startSession).run({ idHash, account, ip, now, expiresAt: session.expiresAt.toISOString() });
    })();
  }

  async touchSession(idHash: string, now: Date, idleSince: Date): Promise<{ account: string } | undefined> {
    return statement(this.db, adminAuthSql.touchSession).get({ idHash, now: now.toISOString(), idleSince: idleSince.toISOString() }) as
      | { account: string }
      | undefined;
  }

  async endSession(idHash: string): Promise<boolean> {
    return statement(this.db, adminAuthSql.endSession).run(idHash).changes === 1;
  }

  async addLink(tokenHash: string, createdAt: Date, expiresAt: Date): Promise<void> {
    this.db.transaction(() => {
      statement(this.db, adminAuthSql.dropExpiredLinks).run(createdAt.toISOString());
      statement(this.db, adminAuthSql.addLink).run(tokenHash, createdAt.toISOString(), expiresAt.toISOString());
    })();
  }

  async useLink(tokenHash: string, now: Date): Promise<boolean> {
    return statement(this.db, adminAuthSql.useLink).run({ tokenHash, now: now.toISOString() }).changes === 1;
  }

  async noteAttempt(attempt: string, keys: readonly string[], at: Date, since: Date): Promise<number> {
    return this.db.transaction(() => {
      statement(this.db, adminAuthSql.forgetAttemptsBefore).run(since.toISOString());
      for (const key of keys) statement(this.db, adminAuthSql.noteAttempt).run(key, at.toISOString(), attempt);
      return Math.max(0, ...keys.map((key) => (statement(this.db, adminAuthSql.attemptsSince).get(key, since.toISOString()) as { n: number }).n));
    })();
  }

  async forgetAttempt(attempt: string): Promise<void> {
    statement(this.db, adminAuthSql.forgetAttempt).run(attempt);
  }

  async recordAudit(entry: AuditEntry): Promise<void> {
    statement(this.db, adminAuthSql.recordAudit).run(...auditValues(entry));
  }

  async auditTrail(limit: number): Promise<StoredAuditEntry[]> {
    return (statement(this.db, adminAuthSql.auditTrail).all(limit) as AuditRow[]).map(toAuditEntry);
  }
}
