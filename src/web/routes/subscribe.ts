import type { FastifyInstance } from 'fastify';
import { checkEmail, checkName, defaultListName, type Frequency, normalizeAlerts, parseTopics } from '../../subscribers/index.js';
import { sendAlertProposal } from '../alert-proposal-mail.js';
import { newAlerts } from '../alert-proposals.js';
import type { Background } from '../background.js';
import { sendConfirmation } from '../confirmation.js';
import type { WebDeps } from '../context.js';
import { type Html, html, page } from '../html.js';

interface SubscribeBody {
  email?: string;
  name?: string;
  topics?: string | string[];
  frequency?: string | string[];
  /** Saved searches, from the search page's "Get this search by email". */
  alerts?: string | string[];
  /** The honeypot: hidden from people, filled in by bots. */
  website?: string;
}

/** Only the topics the form offers, however many a request names. */
export function offeredTopics(deps: WebDeps, raw: unknown): string[] {
  const offered = new Set(deps.config.web.topics.map((topic) => topic.toLowerCase()));
  return parseTopics([raw ?? []].flat().map(String).join(',')).filter((topic) => offered.has(topic));
}

/** The frequencies the form offers: alerts need saved searches, which only the preferences page takes. */
const offeredFrequencies: readonly { value: Frequency; label: string }[] = [
  { value: 'daily', label: 'Every day' },
  { value: 'weekly', label: 'Once a week' },
];

/** The frequency the form chose: daily unless it says weekly, or alerts (with saved searches: the search page's form). */
const chosenFrequency = (raw: unknown, alerts: readonly string[] = []): Frequency =>
  raw === 'weekly' ? 'weekly' : raw === 'alerts' && alerts.length > 0 ? 'alerts' : 'daily';

/** The saved searches a form carried, as stored; none when they are not valid searches (the page offered them itself). */
function formAlerts(raw: unknown): string[] {
  try {
    return normalizeAlerts([raw ?? []].flat().map(String));
  } catch {
    return [];
  }
}

function form(deps: WebDeps, values: SubscribeBody = {}, error?: string): Html {
  const chosen = new Set(offeredTopics(deps, values.topics));
  const frequency = chosenFrequency(values.frequency);
  return html`<h1>${deps.config.newsletter.name}</h1>
<p>The day's most upvoted research papers from Hugging Face Daily Papers, in your inbox every morning.</p>
${error ? html`<p class="error" role="alert" id="form-error">${error}</p>` : ''}
<form method="post" action="/subscribe" novalidate>
<label for="email">Email address</label>
<input id="email" name="email" type="email" autocomplete="email" required value="${typeof values.email === 'string' ? values.email : ''}"${error ? html` aria-describedby="form-error" aria-invalid="true"` : ''}>
<label for="name">Name <span class="muted">(optional)</span></label>
<input id="name" name="name" type="text" autocomplete="name" maxlength="200" value="${typeof values.name === 'string' ? values.name : ''}">
<fieldset><legend>Topics you care about <span class="muted">(optional)</span></legend>
${deps.config.web.topics.map((topic) => html`<label><input type="checkbox" name="topics" value="${topic}"${chosen.has(topic.toLowerCase()) ? html` checked` : ''}> ${topic}</label>`)}
</fieldset>
<fieldset><legend>How often</legend>
${offeredFrequencies.map((option) => html`<label><input type="radio" name="frequency" value="${option.value}"${option.value === frequency ? html` checked` : ''}> ${option.label}</label>`)}
</fieldset>
<div class="trap" aria-hidden="true"><label for="website">Leave this empty</label><input id="website" name="website" type="text" tabindex="-1" autocomplete="off"></div>
<button type="submit">Subscribe</button>
</form>
<p class="muted">We send a confirmation link first. Every email has a one-click unsubscribe link. <a href="/archive">Read past editions</a>.</p>`;
}

/** The one answer to every address; a search page's form (with alerts) also tells readers what they get. */
const checkInbox = (deps: WebDeps, alerts: readonly string[]) =>
  page(
    'Check your inbox',
    html`<h1>Check your inbox</h1>
<p>If that address can receive ${deps.config.newsletter.name}, a confirmation link is on its way. Open it to start getting the digest.</p>
${
  alerts.length
    ? html`<p>If the address already gets ${deps.config.newsletter.name}, a link to your preferences page comes instead, with the search ready to add to your alerts.</p>
`
    : ''
}<p class="muted">Nothing arrives? Look in the spam folder, or <a href="/">try again</a> in a few minutes.</p>`,
  );

/**
 * What a subscribe request does, after the answer has gone out. A new address becomes pending
 * with what the form said (name, topics, daily or weekly, the search page's alerts); an existing
 * record is never changed by a stranger's form (a pending record's name, topics and frequency
 * change only through the owner's links, and someone who unsubscribed comes back only by clicking
 * the link mailed to them). The search page's alerts reach an existing reader the same way: an
 * active one gets a link to their preferences page with the searches proposed, a pending one a
 * confirmation link that adds them. Every mail is taken from the address's allowance first, so
 * nobody can be mail-bombed through us.
 */
async function subscribe(deps: WebDeps, email: string, name: string, topics: string[], frequency: Frequency, alerts: string[]): Promise<void> {
  const existing = await deps.subscribers.findByEmail(email);
  const proposed = existing ? newAlerts(existing.preferences.alerts ?? [], alerts) : [];
  // Active without new searches, bounced, complained; and the demo readers, who never get real mail.
  const proposing = existing?.status === 'active' && proposed.length > 0 && !existing.demo;
  if (existing && !proposing && existing.status !== 'pending' && existing.status !== 'unsubscribed') return;
  const { confirmationIntervalMinutes: intervalMinutes, confirmationsPerDay: perDay } = deps.config.web;
  const now = (deps.now ?? (() => new Date()))();
  if (!(await deps.subscribers.takeConfirmationSlot(email, now, { intervalMinutes, perDay }))) return;
  if (proposing) return sendAlertProposal(deps, existing, proposed);
  if (!existing) {
    await deps.subscribers.upsertMany([
      { email, name, topics, frequency, ...(alerts.length ? { alerts } : {}), status: 'pending', source: 'web', lists: [defaultListName] },
    ]);
  }
  const subscriber = existing ?? (await deps.subscribers.findByEmail(email))!;
  if (subscriber.status === 'unsubscribed') return sendConfirmation(deps, subscriber, 'resubscribe');
  await sendConfirmation(deps, subscriber, 'confirm', proposed);
}

export function subscribeRoutes(app: FastifyInstance, deps: WebDeps, background: Background): void {
  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(page(deps.config.newsletter.name, form(deps))));

  const { subscribeLimit, subscribeWindowMinutes } = deps.config.web;
  app.post<{ Body: SubscribeBody }>(
    '/subscribe',
    {
      config: {
        ...(deps.noRateLimit ? {} : { rateLimit: { max: subscribeLimit, timeWindow: Math.round(subscribeWindowMinutes * 60_000) } }),
      },
    },
    async (request, reply) => {
      const body = request.body ?? {};
      reply.type('text/html; charset=utf-8');
      const alerts = formAlerts(body.alerts);
      // A bot filled the hidden field: answer exactly as for a person, do nothing.
      if (body.website) return reply.send(checkInbox(deps, alerts));
      const email = checkEmail(typeof body.email === 'string' ? body.email : '');
      if (!email.ok) return reply.code(400).send(page('Subscribe', form(deps, body, `That address does not look right: ${email.reason}.`)));
      const name = checkName(typeof body.name === 'string' ? body.name : undefined);
      if (!name.ok) return reply.code(400).send(page('Subscribe', form(deps, body, `That name cannot be used: ${name.reason}.`)));
      const topics = offeredTopics(deps, body.topics);
      const frequency = chosenFrequency(body.frequency, alerts);
      // The same answer, at once, for every address: what the address's state calls for happens after it.
      void reply.then(
        () => background.run('subscribe', () => subscribe(deps, email.value, name.value, topics, frequency, alerts)),
        () => undefined,
      );
      return reply.send(checkInbox(deps, alerts));
    },
  );
}
