import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler, preHandlerAsyncHookHandler } from 'fastify';
import { type AdminSession, csrfTokenFor, idleSince, sameSecret, secretHash } from '../../admin/index.js';
import { html, page } from '../html.js';
import { errorPage } from '../security.js';
import { droppedCookie, readCookie, sessionCookie } from './cookies.js';
import type { AdminDeps } from './deps.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is signed in, on every admin route but the sign-in ones (the guard sets it); null elsewhere. */
    admin: AdminSession | null;
  }
  interface FastifyContextConfig {
    /** An admin route anyone may reach (signing in): the guard lets it through, and it checks its own form. */
    adminPublic?: boolean;
  }
}

/** A session id as the cookie carries it: 32 random bytes, base64url. */
const sessionIdShape = /^[A-Za-z0-9_-]{43}$/;

/** Where a page sends someone who is not signed in: the sign-in form, then back to the page. */
const signInUrl = (request: FastifyRequest) => `/admin/login?next=${encodeURIComponent(request.url)}`;

/** Not signed in: a page a browser asked for goes to the sign-in form; anything else (a form post, an event stream, a script) is refused. */
function refuse(request: FastifyRequest, reply: FastifyReply, staleCookie: boolean): FastifyReply {
  if (staleCookie) reply.header('set-cookie', droppedCookie(sessionCookie));
  const browsing = (request.method === 'GET' || request.method === 'HEAD') && (request.headers.accept ?? '').includes('text/html');
  if (browsing) return reply.redirect(signInUrl(request), 303);
  return reply
    .code(401)
    .type('text/html; charset=utf-8')
    .send(page('Sign in first', html`<h1>Sign in first</h1><p>This needs an admin session: <a href="/admin/login">sign in</a>.</p>`));
}

/**
 * The one gate of the admin scope (an onRequest hook, before any body is read): every route in it
 * needs a live session but those marked `adminPublic`. A live session is seen (its idle clock
 * restarts) and put on the request as `request.admin`.
 */
export function requireSession(deps: AdminDeps): onRequestAsyncHookHandler {
  return async function requireSession(request, reply) {
    if (request.routeOptions.config.adminPublic) return;
    const secret = readCookie(request, sessionCookie);
    const now = deps.clock();
    const found = secret && sessionIdShape.test(secret) ? await deps.adminAuth.touchSession(secretHash(secret), now, idleSince(now, deps.admin)) : undefined;
    if (!secret || !found) return refuse(request, reply, secret !== undefined);
    request.admin = { account: found.account, sessionId: secretHash(secret), csrfToken: csrfTokenFor(secret) };
  };
}

/**
 * Every request that may change something (all but GET and HEAD) carries the session's CSRF
 * token, in the `_csrf` field of its form or an `x-csrf-token` header: a page of another site
 * cannot know it, whatever cookies the browser sends along.
 */
export const requireCsrfToken: preHandlerAsyncHookHandler = async function requireCsrfToken(request, reply) {
  if (request.method === 'GET' || request.method === 'HEAD' || request.routeOptions.config.adminPublic) return;
  const header = request.headers['x-csrf-token'];
  const given = typeof header === 'string' ? header : (request.body as { _csrf?: unknown } | undefined)?._csrf;
  if (request.admin && typeof given === 'string' && sameSecret(given, request.admin.csrfToken)) return;
  return reply
    .code(403)
    .type('text/html; charset=utf-8')
    .send(errorPage(403, 'That form had expired or came from another page: go back, reload it and try again.'));
};

/** Who is signed in, on a route behind the guard (where it is always there). */
export function signedIn(request: FastifyRequest): AdminSession {
  if (!request.admin) throw new Error('signedIn() on a route the admin guard does not cover');
  return request.admin;
}
