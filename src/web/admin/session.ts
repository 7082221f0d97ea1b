import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { attemptKeys, idleSince, newSecret, secretHash, sessionEnd, startAttempt } from '../../admin/index.js';
import { errorPage } from '../security.js';
import { recordAdminAction } from './audit.js';
import { cookieHeader, droppedCookie, loginCookie, sessionCookie } from './cookies.js';
import type { AdminDeps } from './deps.js';
import { signedIn } from './guard.js';
import { linkRefusedPage } from './views.js';

/**
 * Where to go after signing in: an admin page of this site, given as a path, or the admin home.
 * Anything else (another host, `//host`, a backslash browsers read as a slash) would make the
 * sign-in form an open redirect.
 */
export function safeNext(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000 || !/^\/admin(?:[/?#]|$)/.test(value) || /[\\\s]/.test(value)) return '/admin';
  return /^\/admin\/(login|link)(?:[/?#]|$)/.test(value) ? '/admin' : value;
}

/** Starts a session for the admin account (a new id every time: one left over from before signing in is worth nothing), records how, and goes on to `next`. */
export async function startSession(deps: AdminDeps, request: FastifyRequest, reply: FastifyReply, how: 'sign-in' | 'link-used', next: string) {
  const now = deps.clock();
  const secret = newSecret();
  const { account } = deps.admin;
  await deps.adminAuth.startSession(
    { idHash: secretHash(secret), account, createdAt: now, expiresAt: sessionEnd(now, deps.admin), ip: request.ip },
    idleSince(now, deps.admin),
  );
  await recordAdminAction(deps, request, { action: how, account });
  return reply.header('set-cookie', [cookieHeader(sessionCookie, secret, deps.admin.sessionHours * 3600), droppedCookie(loginCookie)]).redirect(next, 303);
}

export const tooMany = 'Too many failed sign-ins from this address or for this account: wait a minute, then try again.';

/** A sign-in link's token as `paperboy admin link` makes it: 32 random bytes, base64url. */
const tokenShape = /^[A-Za-z0-9_-]{43}$/;

/**
 * The one-time sign-in link: the first request with a token that exists, is unused and has not
 * expired starts a session; every other is refused. A GET that changes something, as sign-in
 * links are: the token works once, and wrong tokens count against the address like wrong passwords.
 */
export function linkRoute(scope: FastifyInstance, deps: AdminDeps): void {
  scope.get<{ Params: { token: string } }>('/admin/link/:token', { config: { adminPublic: true } }, async (request, reply) => {
    const now = deps.clock();
    const attempt = await startAttempt(deps.adminAuth, attemptKeys(request.ip), now, deps.admin.loginAttemptsPerMinute);
    if (attempt.refused) return reply.code(429).type('text/html; charset=utf-8').send(errorPage(429, tooMany));
    const { token } = request.params;
    if (!tokenShape.test(token) || !(await deps.adminAuth.useLink(secretHash(token), now))) {
      await recordAdminAction(deps, request, { action: 'sign-in-failed', account: '', detail: { via: 'link' } });
      return reply.code(401).type('text/html; charset=utf-8').send(linkRefusedPage());
    }
    await attempt.succeeded();
    return startSession(deps, request, reply, 'link-used', '/admin');
  });
}

/** Signing out: the session's row goes (the cookie is worthless from now on, wherever a copy of it is), and the browser drops the cookie. */
export function signOutRoute(scope: FastifyInstance, deps: AdminDeps): void {
  scope.post('/admin/logout', async (request, reply) => {
    await deps.adminAuth.endSession(signedIn(request).sessionId);
    await recordAdminAction(deps, request, { action: 'sign-out' });
    return reply.header('set-cookie', droppedCookie(sessionCookie)).redirect('/admin/login', 303);
  });
}
