import { createHash } from 'node:crypto';
import { newSecret, sameSecret } from './sessions.js';

/**
 * The CSRF token of a session: derived from the session's secret id (which only the browser's
 * cookie and the request carry), so no column keeps it and no other site can know it. Not the
 * stored hash of the id: that one is in the store, this one must not be.
 */
export const csrfTokenFor = (sessionSecret: string): string => createHash('sha256').update(`paperboy.admin.csrf.${sessionSecret}`).digest('base64url');

/** An HMAC under the server's secret (the link signer's `digest`). */
export type Mac = (text: string) => Buffer;

/** How long a sign-in form may sit open before its token goes stale. */
export const loginFormMinutes = 60;

/**
 * The sign-in form's CSRF token, before there is a session to tie one to: a double submit. The
 * same random token goes into the form and into a cookie, the cookie signed with its expiry, so
 * a POST must come from a page that read our form (another site can set neither the field to
 * match a cookie it cannot read nor a cookie we would sign).
 */
export function loginFormToken(mac: Mac, now: Date): { field: string; cookie: string } {
  const field = newSecret();
  const expiry = Math.floor(now.getTime() / 1000 + loginFormMinutes * 60).toString(36);
  return { field, cookie: `${field}.${expiry}.${signature(mac, field, expiry)}` };
}

const signature = (mac: Mac, field: string, expiry: string) => mac(`admin-login.${field}.${expiry}`).subarray(0, 18).toString('base64url');

/** Whether a sign-in POST carries our form's token: a cookie we signed, unexpired, holding the same token as the field. */
export function checkLoginFormToken(mac: Mac, cookie: string | undefined, field: unknown, now: Date): boolean {
  if (typeof field !== 'string' || cookie === undefined) return false;
  const [token, expiry, given, ...rest] = cookie.split('.');
  if (!token || !expiry || !given || rest.length > 0) return false;
  if (!sameSecret(given, signature(mac, token, expiry))) return false;
  if (Number.parseInt(expiry, 36) * 1000 <= now.getTime()) return false;
  return sameSecret(field, token);
}
