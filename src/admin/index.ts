export type { AdminAction, AuditEntry, StoredAuditEntry } from './audit.js';
export { checkLoginFormToken, csrfTokenFor, loginFormMinutes, loginFormToken, type Mac } from './csrf.js';
export { type Attempt, attemptKeys, attemptWindowMs, startAttempt } from './login-limit.js';
export { defaultHashParameters, hashPassword, isPasswordHash, type PasswordHashParameters, verifyPassword } from './password.js';
export { type AdminSession, idleSince, newSecret, type SessionPolicy, sameSecret, secretHash, sessionEnd } from './sessions.js';
export type { AdminAuthStore, NewAdminSession } from './store.js';
export { domainsShown, editionPapers, funnel, troubleByDomain } from './edition-detail.js';
export * from './queries.js';
export { changeReason, daysUpTo, noReaders, readerHistory, type StatusDelta, statusHistory } from './status-history.js';
