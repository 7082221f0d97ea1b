import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Subscriber, TokenPurpose } from '../../subscribers/index.js';
import { count } from '../../words.js';
import { readProposal } from '../alert-proposals.js';
import type { WebDeps } from '../context.js';
import { type Html, html, page } from '../html.js';
import { rhythmOf, whatArrives, whenNext } from '../rhythm-words.js';

type Verified = { subscriber?: Subscriber; subscriberId: number; token: string; expiresAt?: number };

/** A link's parameter from a form field or the query string (a form posts what its link carried). */
function fieldOf(request: FastifyRequest, name: 'token' | 'add'): string {
  const query = (request.query ?? {}) as Record<string, unknown>;
  const body = (request.body ?? {}) as Record<string, unknown>;
  const value = typeof body[name] === 'string' && body[name] ? body[name] : query[name];
  return typeof value === 'string' ? value : '';
}

/** The token from ?token= or a form field. */
const tokenOf = (request: FastifyRequest): string => fieldOf(request, 'token');

/**
 * The alerts a link proposes (`add=`, see alert-proposals.ts), checked against the reader its
 * token names: none when the link proposes none, undefined when what it proposes is not genuine.
 */
export function proposalIn(deps: WebDeps, request: FastifyRequest, subscriberId: number): { alerts: string[]; add: string } | undefined {
  const add = fieldOf(request, 'add');
  if (!add) return { alerts: [], add };
  const alerts = readProposal(deps.signer, subscriberId, add);
  return alerts && { alerts, add };
}

export const invalidLink = (reply: FastifyReply) =>
  reply
    .code(400)
    .type('text/html; charset=utf-8')
    .send(
      page(
        'Link not valid',
        html`<h1>This link is not valid</h1><p>It may have been copied incompletely. Use the link in your latest email, or <a href="/">subscribe again</a>.</p>`,
        { noindex: true },
      ),
    );

/**
 * Checks a signed link for its purpose. A forged or altered token gets the same plain 400 as a
 * truncated one (nothing about which subscriber, if any, it named); an expired one says so.
 */
export async function verify(deps: WebDeps, request: FastifyRequest, reply: FastifyReply, purpose: TokenPurpose): Promise<Verified | undefined> {
  const token = tokenOf(request);
  const checked = deps.signer.verify(token, purpose, (deps.now ?? (() => new Date()))());
  if (!checked) {
    await invalidLink(reply);
    return undefined;
  }
  if (checked.expired) {
    await reply
      .code(410)
      .type('text/html; charset=utf-8')
      .send(
        page(
          'Link expired',
          html`<h1>This link has expired</h1><p>Confirmation links work for ${count(deps.config.web.confirmDays, 'day')}. <a href="/">Subscribe again</a> for a fresh one.</p>`,
          { noindex: true },
        ),
      );
    return undefined;
  }
  const subscriber = await deps.subscribers.findById(checked.subscriberId);
  return { subscriberId: checked.subscriberId, token, ...(subscriber ? { subscriber } : {}), ...(checked.expiresAt ? { expiresAt: checked.expiresAt } : {}) };
}

export const buttonForm = (action: string, token: string, label: string, extra: Html | string = ''): Html =>
  html`<form method="post" action="${action}">
<input type="hidden" name="token" value="${token}">
${extra}<button type="submit">${label}</button>
</form>`;

export const tokenRoute = { config: { tokenPage: true } } as const;

/**
 * Coming back after unsubscribing: the link mailed when the address was entered on the form
 * again. It brings the reader back only if they left before that mail was made, so an old link
 * never undoes a later unsubscribe.
 */
export function resubscribeRoutes(app: FastifyInstance, deps: WebDeps): void {
  app.get('/resubscribe', tokenRoute, async (request, reply) => {
    const verified = await verify(deps, request, reply, 'resubscribe');
    if (!verified) return reply;
    return reply
      .type('text/html; charset=utf-8')
      .send(
        page(
          'Subscribe again',
          html`<h1>Subscribe again</h1><p>${whatArrives(deps.config.newsletter.name, rhythmOf(verified.subscriber), true)}</p>${buttonForm('/resubscribe', verified.token, 'Yes, subscribe me again')}`,
          { noindex: true },
        ),
      );
  });

  app.post('/resubscribe', tokenRoute, async (request, reply) => {
    const verified = await verify(deps, request, reply, 'resubscribe');
    if (!verified) return reply;
    const { subscriber, expiresAt } = verified;
    // When the mail was made, to the second the token keeps (its expiry minus the link's lifetime).
    const madeAt = expiresAt ? expiresAt * 1000 - deps.config.web.confirmDays * 86_400_000 : 0;
    if (subscriber?.status === 'unsubscribed' && Date.parse(subscriber.unsubscribedAt ?? '') < madeAt + 1000) {
      await deps.subscribers.setStatus(subscriber.id, 'active');
    }
    return reply.type('text/html; charset=utf-8').send(
      page("You're subscribed", html`<h1>You're subscribed again</h1><p>${whenNext(deps.config.newsletter.name, rhythmOf(subscriber))}</p>`, {
        noindex: true,
      }),
    );
  });
}

export function unsubscribeRoutes(app: FastifyInstance, deps: WebDeps): void {
  app.get('/unsubscribe', tokenRoute, async (request, reply) => {
    const verified = await verify(deps, request, reply, 'unsubscribe');
    if (!verified) return reply;
    return reply
      .type('text/html; charset=utf-8')
      .send(
        page(
          'Unsubscribe',
          html`<h1>Unsubscribe</h1><p>Stop getting ${deps.config.newsletter.name}?</p>${buttonForm(`/unsubscribe?token=${encodeURIComponent(verified.token)}`, verified.token, 'Unsubscribe')}`,
          { noindex: true },
        ),
      );
  });

  // A form POST, or a mail client's RFC 8058 one-click POST (body "List-Unsubscribe=One-Click", token in the URL).
  app.post('/unsubscribe', tokenRoute, async (request, reply) => {
    const verified = await verify(deps, request, reply, 'unsubscribe');
    if (!verified) return reply;
    if (verified.subscriber) await deps.subscribers.unsubscribe(verified.subscriber.id);
    // The same answer when they were already unsubscribed, or removed since.
    return reply
      .type('text/html; charset=utf-8')
      .send(
        page(
          "You're unsubscribed",
          html`<h1>You're unsubscribed</h1><p>You will get no more ${deps.config.newsletter.name} emails. Changed your mind? <a href="/">Subscribe again</a>.</p>`,
          { noindex: true },
        ),
      );
  });
}
