import type { FastifyInstance } from 'fastify';
import { checkEmail, checkName, type Frequency, normalizeAlerts, parseTopics } from '../../subscribers/index.js';
import type { Background } from '../background.js';
import type { WebDeps } from '../context.js';
import { type Html, html, page } from '../html.js';
import { SubscribeQueue } from '../subscribe-work.js';

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
const checkInbox = (deps: WebDeps, withAlerts: boolean) =>
  page(
    'Check your inbox',
    html`<h1>Check your inbox</h1>
<p>If that address can receive ${deps.config.newsletter.name}, a confirmation link is on its way. Open it to start getting the digest.</p>
${
  withAlerts
    ? html`<p>If the address already gets ${deps.config.newsletter.name}, a link to your preferences page comes instead, with the search ready to add to your alerts.</p>
`
    : ''
}<p class="muted">Nothing arrives? Look in the spam folder, or <a href="/">try again</a> in a few minutes.</p>`,
  );

export function subscribeRoutes(app: FastifyInstance, deps: WebDeps, background: Background): void {
  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(page(deps.config.newsletter.name, form(deps))));

  const work = new SubscribeQueue(deps, background);
  // Made once: the answer is the same for every address.
  const answers = { plain: checkInbox(deps, false), withAlerts: checkInbox(deps, true) };
  const answer = (alerts: readonly string[]) => (alerts.length ? answers.withAlerts : answers.plain);
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
      if (body.website) return reply.send(answer(alerts));
      const email = checkEmail(typeof body.email === 'string' ? body.email : '');
      if (!email.ok) return reply.code(400).send(page('Subscribe', form(deps, body, `That address does not look right: ${email.reason}.`)));
      const name = checkName(typeof body.name === 'string' ? body.name : undefined);
      if (!name.ok) return reply.code(400).send(page('Subscribe', form(deps, body, `That name cannot be used: ${name.reason}.`)));
      const topics = offeredTopics(deps, body.topics);
      const frequency = chosenFrequency(body.frequency, alerts);
      // The same answer, at once, for every address: what the address's state calls for happens after it.
      await work.room();
      void reply.then(
        () => work.add({ email: email.value, name: name.value, topics, frequency, alerts }),
        () => work.cancel(),
      );
      return reply.send(answer(alerts));
    },
  );
}
