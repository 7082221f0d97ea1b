import type { FastifyInstance } from 'fastify';
import type { AdminDeps } from '../deps.js';
import { signedIn } from '../guard.js';
import { editionPage, overviewPage } from '../pages/index.js';

/** How far back the overview's charts go, how many editions it lists, how many admin actions. */
const overviewDays = 90;
const overviewEditions = 14;
const auditShown = 20;

/** GET /admin (the overview) and GET /admin/editions/:id. */
export function overviewRoutes(scope: FastifyInstance, deps: AdminDeps): void {
  scope.get('/admin', async (request, reply) => {
    const [overview, audit] = await Promise.all([
      deps.adminQueries.overview({ days: overviewDays, editions: overviewEditions, now: deps.clock() }),
      deps.adminAuth.auditTrail(auditShown),
    ]);
    return reply.type('text/html; charset=utf-8').send(overviewPage({ overview, audit, viewer: signedIn(request) }));
  });

  scope.get<{ Params: { id: string } }>('/admin/editions/:id', async (request, reply) => {
    const id = /^\d{1,12}$/.test(request.params.id) ? Number(request.params.id) : undefined;
    const detail = id === undefined ? undefined : await deps.adminQueries.edition(id);
    if (!detail) return reply.callNotFound();
    return reply.type('text/html; charset=utf-8').send(editionPage({ detail, viewer: signedIn(request) }));
  });
}
