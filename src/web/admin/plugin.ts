import type { FastifyInstance } from 'fastify';
import type { WebDeps } from '../context.js';
import { adminDeps, type AdminDeps } from './deps.js';
import { requireCsrfToken, requireSession } from './guard.js';
import { dashboardPages } from './dashboard/index.js';
import { linkRoute, signOutRoute } from './session.js';
import { signInRoutes } from './sign-in.js';

/** Registers admin pages into the guarded scope: every route it adds needs a session, and every POST the session's CSRF token. */
export type AdminPage = (scope: FastifyInstance, deps: AdminDeps) => void;

/** The pages of /admin when none are given. */
export const defaultAdminPages: readonly AdminPage[] = dashboardPages;

/**
 * /admin, when `config.admin` turns it on (otherwise nothing is registered and every /admin URL
 * is a 404 like any unknown one). One encapsulated scope: its hooks run for its routes only. Every
 * route in it needs a session (`requireSession`) but signing in; every POST the session's CSRF
 * token; every answer has the admin's security policy and is never cached or indexed.
 */
export async function adminRoutes(app: FastifyInstance, deps: WebDeps, options: { pages?: readonly AdminPage[] } = {}): Promise<void> {
  const admin = adminDeps(deps);
  if (!admin) return;
  await app.register(async (scope) => {
    scope.decorateRequest('admin', null);
    scope.addHook('onRoute', (route) => {
      route.config = { policy: 'admin', tokenPage: true, ...route.config };
    });
    scope.addHook('onRequest', requireSession(admin));
    scope.addHook('preHandler', requireCsrfToken);
    signInRoutes(scope, admin);
    linkRoute(scope, admin);
    signOutRoute(scope, admin);
    for (const register of options.pages ?? defaultAdminPages) register(scope, admin);
    // Any other /admin address is guarded too: without a session it answers as the pages do, so a
    // stranger cannot tell which addresses exist; with one, it is the usual 404.
    scope.all('/admin/*', async (_request, reply) => reply.callNotFound());
  });
}
