import type { FastifyInstance } from 'fastify';
import type { List } from '../../subscribers/index.js';
import type { WebDeps } from '../context.js';
import { html, page } from '../html.js';
import { offeredTopics } from './subscribe.js';
import { buttonForm, tokenRoute, verify } from './tokens.js';

/** The lists a reader may choose on the page: the public ones, and the private ones they are already on (to leave them). */
const offeredLists = (lists: readonly List[], memberOf: readonly string[]) => lists.filter((list) => list.public || memberOf.includes(list.name));

interface PreferencesBody {
  token?: string;
  topics?: string | string[];
  maxPapers?: string;
  lists?: string | string[];
}

export function preferencesRoutes(app: FastifyInstance, deps: WebDeps): void {
  app.get('/preferences', tokenRoute, async (request, reply) => {
    const verified = await verify(deps, request, reply, 'preferences');
    if (!verified) return reply;
    const subscriber = verified.subscriber;
    if (!subscriber) return reply.code(404).type('text/html; charset=utf-8').send(page('Not found', html`<h1>No subscription here</h1><p><a href="/">Subscribe</a></p>`, { noindex: true }));
    const lists = offeredLists(await deps.subscribers.listLists(), subscriber.lists);
    const topics = deps.config.web.topics;
    const chosen = new Set(subscriber.preferences.topics);
    const fields = html`<fieldset><legend>Topics</legend>
${topics.map((topic) => html`<label><input type="checkbox" name="topics" value="${topic}"${chosen.has(topic.toLowerCase()) ? html` checked` : ''}> ${topic}</label>`)}
</fieldset>
<label for="maxPapers">Papers per digest</label>
<input id="maxPapers" name="maxPapers" type="number" min="1" max="${deps.config.selection.top}" value="${subscriber.preferences.maxPapers ?? deps.config.selection.top}">
<fieldset><legend>Lists</legend>
${lists.map((list) => html`<label><input type="checkbox" name="lists" value="${list.name}"${subscriber.lists.includes(list.name) ? html` checked` : ''}> ${list.name}${list.description ? html` <span class="muted">— ${list.description}</span>` : ''}</label>`)}
</fieldset>
`;
    return reply
      .type('text/html; charset=utf-8')
      .send(page('Your preferences', html`<h1>Your preferences</h1><p class="muted">${subscriber.email}</p>${buttonForm('/preferences', verified.token, 'Save', fields)}`, { noindex: true }));
  });

  app.post<{ Body: PreferencesBody }>('/preferences', tokenRoute, async (request, reply) => {
    const verified = await verify(deps, request, reply, 'preferences');
    if (!verified) return reply;
    if (!verified.subscriber) return reply.code(404).type('text/html; charset=utf-8').send(page('Not found', html`<h1>No subscription here</h1>`, { noindex: true }));
    const body = request.body ?? {};
    const maxPapers = Number(body.maxPapers);
    const offered = new Set(offeredLists(await deps.subscribers.listLists(), verified.subscriber.lists).map((list) => list.name));
    const lists = [body.lists ?? []].flat().map(String).filter((name) => offered.has(name));
    // Private lists the reader is on stay as they are unless the form (which shows them) leaves them.
    await deps.subscribers.setPreferences(
      verified.subscriber.id,
      {
        topics: offeredTopics(deps, body.topics),
        ...(Number.isInteger(maxPapers) && maxPapers >= 1 && maxPapers < deps.config.selection.top ? { maxPapers } : {}),
      },
      lists,
    );
    return reply
      .type('text/html; charset=utf-8')
      .send(page('Preferences saved', html`<h1>Saved</h1><p>Your next digest follows these preferences. <a href="/preferences?token=${verified.token}">Change them again</a>.</p>`, { noindex: true }));
  });
}
