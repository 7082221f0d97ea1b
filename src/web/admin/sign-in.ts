import type { FastifyInstance, FastifyReply } from 'fastify';
import { attemptKeys, checkLoginFormToken, loginFormMinutes, loginFormToken, type Mac, sameSecret, startAttempt, verifyPassword } from '../../admin/index.js';
import { errorPage } from '../security.js';
import { recordAdminAction } from './audit.js';
import { cookieHeader, loginCookie, readCookie } from './cookies.js';
import type { AdminDeps } from './deps.js';
import { safeNext, startSession, tooMany } from './session.js';
import { type SignInForm, signInPage } from './views.js';

interface SignInBody {
  _csrf?: unknown;
  next?: unknown;
  account?: unknown;
  password?: unknown;
}

/** The sign-in form, with a fresh double-submit token (its other half in a cookie). */
function sendForm(deps: AdminDeps, mac: Mac, reply: FastifyReply, form: Omit<SignInForm, 'token' | 'linkOnly'>): FastifyReply {
  const { field, cookie } = loginFormToken(mac, deps.clock());
  return reply
    .header('set-cookie', cookieHeader(loginCookie, cookie, loginFormMinutes * 60))
    .type('text/html; charset=utf-8')
    .send(signInPage({ ...form, token: field, linkOnly: !deps.admin.passwordHash }));
}

/**
 * Signing in with the account and password. Each attempt counts against the client's address and
 * the account it names (at most `admin.loginAttemptsPerMinute` failures a minute each, kept in
 * the store so every serve process shares them); past that, attempts are refused unchecked.
 */
export function signInRoutes(scope: FastifyInstance, deps: AdminDeps): void {
  const mac: Mac = (text) => deps.signer.digest(text);
  scope.get<{ Querystring: { next?: unknown } }>('/admin/login', { config: { adminPublic: true } }, async (request, reply) =>
    sendForm(deps, mac, reply, { next: safeNext(request.query.next) }),
  );
  scope.post<{ Body: SignInBody }>('/admin/login', { config: { adminPublic: true } }, async (request, reply) => {
    const body = request.body ?? {};
    const next = safeNext(body.next);
    const now = deps.clock();
    if (!checkLoginFormToken(mac, readCookie(request, loginCookie), body._csrf, now)) {
      return sendForm(deps, mac, reply.code(403), { next, error: 'That sign-in form had expired (or came from elsewhere): here is a fresh one.' });
    }
    const hash = deps.admin.passwordHash;
    if (!hash) return sendForm(deps, mac, reply.code(401), { next });
    const account = typeof body.account === 'string' ? body.account.trim().slice(0, 100) : '';
    const attempt = await startAttempt(deps.adminAuth, attemptKeys(request.ip, account), now, deps.admin.loginAttemptsPerMinute);
    if (attempt.refused) return reply.code(429).type('text/html; charset=utf-8').send(errorPage(429, tooMany));
    // The password is checked only for the right account: each check costs 128 MiB and half a
    // second, and the account's own limit caps those at a few a minute, however many addresses
    // ask. That a wrong name answers sooner tells only the account name, which is no secret.
    const matches = sameSecret(account, deps.admin.account) && (await verifyPassword(typeof body.password === 'string' ? body.password : '', hash));
    if (!matches) {
      await recordAdminAction(deps, request, { action: 'sign-in-failed', account });
      return sendForm(deps, mac, reply.code(401), { next, account, error: 'Wrong account or password.' });
    }
    await attempt.succeeded();
    return startSession(deps, request, reply, 'sign-in', next);
  });
}
