import type { FastifyInstance, FastifyReply } from 'fastify';
import { PaperboyError } from '../../errors.js';
import { type Frequency, isFrequency, type List, maxAlerts, normalizeAlerts, type Preferences, type Subscriber } from '../../subscribers/index.js';
import { newAlerts } from '../alert-proposals.js';
import type { WebDeps } from '../context.js';
import { type Html, html, page } from '../html.js';
import { alreadyThere, applyProposal, type ProposalFields, postedProposal, proposalSection } from './proposed-alerts.js';
import { offeredTopics } from './subscribe.js';
import { buttonForm, invalidLink, proposalIn, tokenRoute, verify } from './tokens.js';

/** The lists a reader may choose on the page: the public ones, and the private ones they are already on (to leave them). */
const offeredLists = (lists: readonly List[], memberOf: readonly string[]) => lists.filter((list) => list.public || memberOf.includes(list.name));

const frequencyChoices: readonly { value: Frequency; label: string }[] = [
  { value: 'daily', label: 'Every day' },
  { value: 'weekly', label: 'Once a week' },
  { value: 'alerts', label: 'Only when a paper matches my alerts' },
];

interface PreferencesBody extends ProposalFields {
  token?: string;
  topics?: string | string[];
  maxPapers?: string;
  lists?: string | string[];
  frequency?: string | string[];
  /** The textarea: one search per line. */
  alerts?: string | string[];
}

/** What the form shows: the stored preferences, or what was just posted when it is shown again with an error. */
interface Shown {
  topics: readonly string[];
  maxPapers: number | string;
  lists: readonly string[];
  frequency: Frequency;
  alerts: readonly string[];
}

const shownOf = (deps: WebDeps, subscriber: Subscriber): Shown => ({
  topics: subscriber.preferences.topics,
  maxPapers: subscriber.preferences.maxPapers ?? deps.config.selection.top,
  lists: subscriber.lists,
  frequency: subscriber.preferences.frequency ?? 'daily',
  alerts: subscriber.preferences.alerts ?? [],
});

const postedFrequency = (raw: unknown): Frequency => (typeof raw === 'string' && isFrequency(raw) ? raw : 'daily');

const postedAlerts = (raw: unknown): string[] =>
  [raw ?? []]
    .flat()
    .map(String)
    .flatMap((text) => text.split(/\r?\n/));

/** What a link's proposed searches show on the page: the choice for those the reader does not have yet (add them while there is room). */
function proposalShown(current: readonly string[], proposed: readonly string[]): Html | '' {
  if (proposed.length === 0) return '';
  const fresh = newAlerts(current, proposed);
  if (fresh.length === 0) return alreadyThere(proposed);
  return proposalSection(current, { alerts: fresh, choice: current.length + fresh.length <= maxAlerts ? 'add' : 'skip' });
}

const notFound = (reply: FastifyReply, body = html`<h1>No subscription here</h1><p><a href="/">Subscribe</a></p>`) =>
  reply
    .code(404)
    .type('text/html; charset=utf-8')
    .send(page('Not found', body, { noindex: true }));

function fields(deps: WebDeps, lists: readonly List[], shown: Shown, error?: string) {
  const chosen = new Set(shown.topics);
  const invalid = error ? html` aria-invalid="true" aria-describedby="form-error alerts-hint"` : html` aria-describedby="alerts-hint"`;
  return html`<fieldset><legend>Topics</legend>
${deps.config.web.topics.map((topic) => html`<label><input type="checkbox" name="topics" value="${topic}"${chosen.has(topic.toLowerCase()) ? html` checked` : ''}> ${topic}</label>`)}
</fieldset>
<label for="maxPapers">Papers per digest</label>
<input id="maxPapers" name="maxPapers" type="number" min="1" max="${deps.config.selection.top}" value="${shown.maxPapers}">
<fieldset><legend>How often</legend>
${frequencyChoices.map((choice) => html`<label><input type="radio" name="frequency" value="${choice.value}"${choice.value === shown.frequency ? html` checked` : ''}> ${choice.label}</label>`)}
</fieldset>
<label for="alerts">Alerts</label>
<p class="muted" id="alerts-hint">Papers matching these searches come first in your digest. One search per line, up to ${maxAlerts}.</p>
<textarea id="alerts" name="alerts" rows="${maxAlerts}" cols="40"${invalid}>${shown.alerts.join('\n')}</textarea>
<fieldset><legend>Lists</legend>
${lists.map((list) => html`<label><input type="checkbox" name="lists" value="${list.name}"${shown.lists.includes(list.name) ? html` checked` : ''}> ${list.name}${list.description ? html` <span class="muted">— ${list.description}</span>` : ''}</label>`)}
</fieldset>
`;
}

function preferencesPage(
  deps: WebDeps,
  subscriber: Subscriber,
  token: string,
  lists: readonly List[],
  shown: Shown,
  error?: string,
  proposal: Html | '' = '',
): string {
  return page(
    'Your preferences',
    html`<h1>Your preferences</h1><p class="muted">${subscriber.email}</p>
${error ? html`<p class="error" role="alert" id="form-error">${error}</p>` : ''}${buttonForm('/preferences', token, 'Save', html`${proposal}${fields(deps, lists, shown, error)}`)}`,
    { noindex: true },
  );
}

/** The frequency and alerts a form posted (with a proposed search as the reader chose), checked; or the one line that says what to change. */
function checkAlerts(body: PreferencesBody): { frequency: Frequency; alerts: string[] } | { error: string } {
  const frequency = postedFrequency(body.frequency);
  let alerts: string[];
  try {
    alerts = normalizeAlerts(applyProposal(postedAlerts(body.alerts), postedProposal(body)));
  } catch (error) {
    if (error instanceof PaperboyError) return { error: error.message };
    throw error;
  }
  if (frequency === 'alerts' && alerts.length === 0) return { error: 'Add at least one alert, or choose daily or weekly.' };
  return { frequency, alerts };
}

/** The form as it was posted, to show again with an error (so nothing typed is lost). */
const shownAsPosted = (deps: WebDeps, body: PreferencesBody, topics: string[], lists: string[]): Shown => {
  const maxPapers = Number(body.maxPapers);
  return {
    topics,
    lists,
    maxPapers: Number.isInteger(maxPapers) && maxPapers >= 1 ? maxPapers : deps.config.selection.top,
    frequency: postedFrequency(body.frequency),
    alerts: postedAlerts(body.alerts)
      .map((alert) => alert.trim())
      .filter(Boolean),
  };
};

export function preferencesRoutes(app: FastifyInstance, deps: WebDeps): void {
  app.get('/preferences', tokenRoute, async (request, reply) => {
    const verified = await verify(deps, request, reply, 'preferences');
    if (!verified) return reply;
    const subscriber = verified.subscriber;
    if (!subscriber) return notFound(reply);
    const proposal = proposalIn(deps, request, subscriber.id);
    if (!proposal) return invalidLink(reply);
    const lists = offeredLists(await deps.subscribers.listLists(), subscriber.lists);
    const shown = shownOf(deps, subscriber);
    return reply
      .type('text/html; charset=utf-8')
      .send(preferencesPage(deps, subscriber, verified.token, lists, shown, undefined, proposalShown(shown.alerts, proposal.alerts)));
  });

  app.post<{ Body: PreferencesBody }>('/preferences', tokenRoute, async (request, reply) => {
    const verified = await verify(deps, request, reply, 'preferences');
    if (!verified) return reply;
    const subscriber = verified.subscriber;
    if (!subscriber) return notFound(reply, html`<h1>No subscription here</h1>`);
    const body = request.body ?? {};
    const maxPapers = Number(body.maxPapers);
    const offered = offeredLists(await deps.subscribers.listLists(), subscriber.lists);
    const offeredNames = new Set(offered.map((list) => list.name));
    const lists = [body.lists ?? []]
      .flat()
      .map(String)
      .filter((name) => offeredNames.has(name));
    const topics = offeredTopics(deps, body.topics);
    const checked = checkAlerts(body);
    if ('error' in checked) {
      const posted = shownAsPosted(deps, body, topics, lists);
      const proposal = postedProposal(body);
      // Nothing is saved, not even the fields that were fine.
      return reply
        .code(400)
        .type('text/html; charset=utf-8')
        .send(preferencesPage(deps, subscriber, verified.token, offered, posted, checked.error, proposal ? proposalSection(posted.alerts, proposal) : ''));
    }
    const preferences: Preferences = {
      topics,
      ...(Number.isInteger(maxPapers) && maxPapers >= 1 && maxPapers < deps.config.selection.top ? { maxPapers } : {}),
      ...checked,
    };
    // Private lists the reader is on stay as they are unless the form (which shows them) leaves them.
    await deps.subscribers.setPreferences(subscriber.id, preferences, lists);
    return reply
      .type('text/html; charset=utf-8')
      .send(
        page(
          'Preferences saved',
          html`<h1>Saved</h1><p>Your next digest follows these preferences. <a href="/preferences?token=${verified.token}">Change them again</a>.</p>`,
          { noindex: true },
        ),
      );
  });
}
