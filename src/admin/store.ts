import type { AuditEntry, StoredAuditEntry } from './audit.js';

export interface NewAdminSession {
  /** The SHA-256 of the session's secret id (sessions.ts secretHash): the cookie itself is never stored. */
  idHash: string;
  account: string;
  createdAt: Date;
  expiresAt: Date;
  ip: string;
}

/**
 * What the admin side keeps in the store, on either backend: sessions, one-time sign-in links,
 * recent sign-in attempts (shared by every `serve` process, so the limit holds across them) and
 * the audit trail. Secrets arrive hashed.
 */
export interface AdminAuthStore {
  /** Keeps a new session, and drops the sessions that ended by `idleSince` (idle) or by its creation (absolute). */
  startSession(session: NewAdminSession, idleSince: Date): Promise<void>;
  /** The live session with this id hash (not idle since `idleSince`, not ended by `now`), marked seen at `now`; undefined when there is none. */
  touchSession(idHash: string, now: Date, idleSince: Date): Promise<{ account: string } | undefined>;
  /** Drops a session (sign-out); whether there was one. */
  endSession(idHash: string): Promise<boolean>;
  /** Keeps a new sign-in link, and drops the links that expired before `createdAt`. */
  addLink(tokenHash: string, createdAt: Date, expiresAt: Date): Promise<void>;
  /** Marks the link used, if it exists, is unused and has not expired by `now`: true exactly once per link, whichever process asks. */
  useLink(tokenHash: string, now: Date): Promise<boolean>;
  /**
   * Notes sign-in attempt `attempt` (a random id) at `at` under each key (`ip:…`, `account:…`),
   * forgets those before `since`, and answers the most attempts one key has had since then, this one included.
   */
  noteAttempt(attempt: string, keys: readonly string[], at: Date, since: Date): Promise<number>;
  /** Takes back an attempt (it succeeded, or was refused unchecked): only failures count. */
  forgetAttempt(attempt: string): Promise<void>;
  recordAudit(entry: AuditEntry): Promise<void>;
  /** The latest `limit` audit entries, newest first. */
  auditTrail(limit: number): Promise<StoredAuditEntry[]>;
}
