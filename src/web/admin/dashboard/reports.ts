import type { FastifyInstance, FastifyReply } from 'fastify';
import { applyEvents, dismissEvents, ingestDeps, type Reviewed, waitingActions } from '../../../bounces/index.js';
import { errorPage } from '../../security.js';
import { recordAdminAction } from '../audit.js';
import type { AdminDeps } from '../deps.js';
import { signedIn } from '../guard.js';
import { reportsPage } from '../pages/index.js';

const waitingShown = 200;
const recentShown = 50;

const outcomeWords: Record<Reviewed['outcome'], string> = {
  bounced: 'applied: the reader is now bounced',
  counted: 'applied: counted as a soft bounce',
  complained: 'applied: the reader is now complained',
  none: 'applied: it changes nobody',
  unmatched: 'applied: it names no reader',
  delayed: 'applied: a delay changes nobody',
  unverified: 'still unverified',
  held: 'still held',
  dismissed: 'dismissed: kept on record, changing nobody',
  'not found': 'not found',
  'not waiting': 'was not waiting for review any more (applied or dismissed already)',
};

/** What the redirect after a review says, from its query (only known outcomes are said). */
function notice(query: { report?: unknown; outcome?: unknown }): string | undefined {
  if (typeof query.report !== 'string' || !/^\d{1,15}$/.test(query.report) || typeof query.outcome !== 'string') return undefined;
  const words = (outcomeWords as Record<string, string | undefined>)[query.outcome];
  return words === undefined ? undefined : `Report ${query.report} ${words}.`;
}

const badId = (reply: FastifyReply) => reply.code(400).type('text/html; charset=utf-8').send(errorPage(400, 'That report id is not one; go back to the list.'));

/**
 * GET /admin/reports, and POST /admin/reports/apply or /dismiss with a report's id: the same
 * review `paperboy bounces apply` and `bounces dismiss` make, recorded in the audit trail.
 */
export function reportRoutes(scope: FastifyInstance, deps: AdminDeps): void {
  // serve always has the bounce store; an app built without one (a test of something else) has no Reports page.
  if (!deps.bounces) return;
  const store = deps.bounces.store;
  const ingest = ingestDeps(deps.config, {
    subscribers: deps.subscribers,
    bounces: store,
    signer: deps.signer,
    storeId: deps.bounces.storeId,
    now: deps.clock,
  });

  scope.get<{ Querystring: { report?: unknown; outcome?: unknown } }>('/admin/reports', async (request, reply) => {
    const [waiting, recent] = await Promise.all([store.list({ actions: waitingActions, limit: waitingShown }), store.list({ limit: recentShown })]);
    const said = notice(request.query);
    return reply.type('text/html; charset=utf-8').send(reportsPage({ waiting, recent, viewer: signedIn(request), ...(said ? { notice: said } : {}) }));
  });

  for (const verb of ['apply', 'dismiss'] as const) {
    scope.post<{ Body: { id?: unknown } }>(`/admin/reports/${verb}`, async (request, reply) => {
      const raw = request.body?.id;
      if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) return badId(reply);
      const id = Number(raw);
      const [result] = verb === 'apply' ? await applyEvents([id], ingest) : await dismissEvents([id], ingest);
      await recordAdminAction(deps, request, {
        action: verb === 'apply' ? 'report-applied' : 'report-dismissed',
        target: `report ${id}`,
        detail: { outcome: result!.outcome, ...(result!.email ? { email: result!.email } : {}) },
      });
      return reply.redirect(`/admin/reports?report=${id}&outcome=${encodeURIComponent(result!.outcome)}`, 303);
    });
  }
}
