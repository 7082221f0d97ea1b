import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long sessions last: `admin.idleMinutes` since the last request, `admin.sessionHours` at most. */
export interface SessionPolicy {
  idleMinutes: number;
  sessionHours: number;
}

/** A new random secret (a session id, a sign-in link's token): 32 bytes, base64url. */
export const newSecret = (): string => randomBytes(32).toString('base64url');

/**
 * What the store keeps of a secret: its SHA-256 (hex). A secret is 256 random bits, so a plain
 * hash is enough: someone who reads the store cannot turn a row back into a cookie or a link.
 */
export const secretHash = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** Whether two secrets are the same, in time that tells nothing about where they differ (or how long they are). */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** When a session started at `now` ends, however busy it stays. */
export const sessionEnd = (now: Date, policy: SessionPolicy): Date => new Date(now.getTime() + policy.sessionHours * 3_600_000);

/** A session last seen before this has been idle too long. */
export const idleSince = (now: Date, policy: SessionPolicy): Date => new Date(now.getTime() - policy.idleMinutes * 60_000);

/** What every admin page knows of who is signed in (the guard puts it on the request). */
export interface AdminSession {
  account: string;
  /** The session's id as the store keeps it (its hash): safe to log or show, useless as a cookie. */
  sessionId: string;
  /** The token every POST of this session must carry (`_csrf` field or `x-csrf-token` header). */
  csrfToken: string;
}
