import type { FastifyInstance, FastifyReply } from 'fastify';
import { type SubscriberStatus, suppressedStatuses } from '../../../subscribers/index.js';
import { errorPage } from '../../security.js';
import { recordAdminAction } from '../audit.js';
import type { AdminDeps } from '../deps.js';
import { signedIn } from '../guard.js';
import { readerPage } from '../pages/index.js';

type Change = 'resubscribe' | 'unsubscribe';
const maxReason = 200;

const doneWords: Record<string, string> = {
  resubscribed: 'is active again: the next edition goes to them',
  unsubscribed: 'is unsubscribed: no more mail; the record stays',
  unchanged: 'was left as they were: nothing to change from that status',
};

const refuse = (reply: FastifyReply, status: number, message: string) => reply.code(status).type('text/html; charset=utf-8').send(errorPage(status, message));

/**
 * What a change does to a reader of `status`: resubscribing brings back someone unsubscribed,
 * bounced or complained (they asked to come back); unsubscribing stops someone active or pending.
 */
const allowed = (change: Change, status: SubscriberStatus): boolean =>
  change === 'resubscribe' ? suppressedStatuses.has(status) : !suppressedStatuses.has(status);

/** GET /admin/readers?email=…, and POST /admin/readers/resubscribe or /unsubscribe with the address and a reason (audited). */
export function readerRoutes(scope: FastifyInstance, deps: AdminDeps): void {
  scope.get<{ Querystring: { email?: unknown; done?: unknown } }>('/admin/readers', async (request, reply) => {
    const email = typeof request.query.email === 'string' ? request.query.email.trim().slice(0, 320) : '';
    const detail = email ? await deps.adminQueries.reader(email) : undefined;
    const done = typeof request.query.done === 'string' ? doneWords[request.query.done] : undefined;
    const notice = detail && done ? `${detail.reader.email} ${done}.` : undefined;
    return reply
      .type('text/html; charset=utf-8')
      .send(readerPage({ viewer: signedIn(request), ...(email ? { email } : {}), ...(detail ? { detail } : {}), ...(notice ? { notice } : {}) }));
  });

  for (const change of ['resubscribe', 'unsubscribe'] as const) {
    scope.post<{ Body: { email?: unknown; reason?: unknown } }>(`/admin/readers/${change}`, async (request, reply) => {
      const { email, reason } = request.body ?? {};
      const why = typeof reason === 'string' ? reason.trim() : '';
      if (!why || why.length > maxReason) return refuse(reply, 400, `Give a reason (at most ${maxReason} characters): it goes into the admin log.`);
      const reader = typeof email === 'string' ? await deps.subscribers.findByEmail(email) : undefined;
      if (!reader) return refuse(reply, 404, 'Nobody by that address is on the list.');
      const acts = allowed(change, reader.status);
      if (acts && change === 'resubscribe') await deps.subscribers.setStatus(reader.id, 'active');
      if (acts && change === 'unsubscribe') await deps.subscribers.unsubscribe(reader.id);
      const after = (await deps.subscribers.findById(reader.id))?.status ?? reader.status;
      await recordAdminAction(deps, request, {
        action: change === 'resubscribe' ? 'reader-resubscribed' : 'reader-unsubscribed',
        target: reader.email,
        detail: { reason: why, from: reader.status, to: after },
      });
      const done = !acts ? 'unchanged' : change === 'resubscribe' ? 'resubscribed' : 'unsubscribed';
      return reply.redirect(`/admin/readers?email=${encodeURIComponent(reader.email)}&done=${done}`, 303);
    });
  }
}
