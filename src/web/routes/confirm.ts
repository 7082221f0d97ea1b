import type { FastifyInstance } from 'fastify';
import { addProposedAlerts } from '../alert-proposals.js';
import type { WebDeps } from '../context.js';
import { html, page } from '../html.js';
import { rhythmOf, whatArrives, whenNext } from '../rhythm-words.js';
import { quoted } from './proposed-alerts.js';
import { buttonForm, invalidLink, proposalIn, tokenRoute, verify } from './tokens.js';

/**
 * The double opt-in link. A link mailed to a pending reader who asked again from the search
 * page also carries that search (`add=`, signed), added to their alerts when they confirm.
 */
export function confirmRoutes(app: FastifyInstance, deps: WebDeps): void {
  app.get('/confirm', tokenRoute, async (request, reply) => {
    const verified = await verify(deps, request, reply, 'confirm');
    if (!verified) return reply;
    const proposal = proposalIn(deps, request, verified.subscriberId);
    if (!proposal) return invalidLink(reply);
    const withAlerts = proposal.alerts.length ? html` It adds ${quoted(proposal.alerts)} to your alerts.` : '';
    const add = proposal.add ? html`<input type="hidden" name="add" value="${proposal.add}">\n` : '';
    // GET changes nothing: mail scanners open links. The button POSTs.
    return reply
      .type('text/html; charset=utf-8')
      .send(
        page(
          'Confirm your subscription',
          html`<h1>Confirm your subscription</h1><p>${whatArrives(deps.config.newsletter.name, rhythmOf(verified.subscriber))}${withAlerts}</p>${buttonForm('/confirm', verified.token, 'Yes, subscribe me', add)}`,
          { noindex: true },
        ),
      );
  });

  app.post('/confirm', tokenRoute, async (request, reply) => {
    const verified = await verify(deps, request, reply, 'confirm');
    if (!verified) return reply;
    const proposal = proposalIn(deps, request, verified.subscriberId);
    if (!proposal) return invalidLink(reply);
    const { subscriber } = verified;
    let waiting = proposal.alerts;
    // Only a pending subscriber is activated: an old confirm link must not undo a later unsubscribe
    // (coming back goes through the form again, which makes them pending and mails a fresh link).
    if (subscriber?.status === 'pending') {
      waiting = await addProposedAlerts(deps, subscriber, proposal.alerts);
      await deps.subscribers.setStatus(subscriber.id, 'active');
    }
    const preferences = `/preferences?token=${deps.signer.sign({ subscriberId: verified.subscriberId, purpose: 'preferences' })}`;
    // Alerts that did not fit (or a reader confirmed before): the preferences page asks which to keep.
    const notAdded = waiting.length
      ? html`<p>${quoted(waiting)} ${waiting.length === 1 ? 'is' : 'are'} not among your alerts yet: <a href="${preferences}&add=${proposal.add}">choose on your preferences page</a>.</p>`
      : '';
    return reply
      .type('text/html; charset=utf-8')
      .send(
        page(
          "You're subscribed",
          html`<h1>You're subscribed</h1><p>${whenNext(deps.config.newsletter.name, rhythmOf(subscriber))} <a href="${preferences}">Choose topics and how many papers</a>.</p>${notAdded}`,
          { noindex: true },
        ),
      );
  });
}
