import type { FastifyInstance } from 'fastify';
import type { AdminDeps } from '../deps.js';
import { signedIn } from '../guard.js';
import { liveFeed } from '../live.js';
import { nowPage, runningFragment } from '../pages/index.js';

/** GET /admin/now, and /admin/now/events: the same fragment as server-sent events, whenever it changes. */
export function nowRoutes(scope: FastifyInstance, deps: AdminDeps): void {
  const running = () => deps.adminQueries.running(deps.clock());
  const live = liveFeed(scope, async () => runningFragment(await running()).value);
  scope.get('/admin/now', async (request, reply) =>
    reply.type('text/html; charset=utf-8').send(nowPage({ running: await running(), at: deps.clock(), viewer: signedIn(request) })),
  );
  scope.get('/admin/now/events', (request, reply) => live.open(request, reply));
}
