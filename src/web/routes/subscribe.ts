import type { FastifyInstance } from 'fastify';
import { checkEmail, checkName, defaultListName, parseTopics } from '../../subscribers/index.js';
import type { WebDeps } from '../context.js';
import { html, page, type Html } from '../html.js';
import { sendConfirmation } from '../confirmation.js';

interface SubscribeBody {
  email?: string;
  name?: string;
  topics?: string | string[];
  /** The honeypot: hidden from people, filled in by bots. */
  website?: string;
}

function form(deps: WebDeps, values: SubscribeBody = {}, error?: string): Html {
  const chosen = new Set(parseTopics([values.topics ?? []].flat().join(',')));
  return html`<h1>${deps.config.newsletter.name}</h1>
<p>The day's most upvoted research papers from Hugging Face Daily Papers, in your inbox every morning.</p>
${error ? html`<p class="error" role="alert" id="form-error">${error}</p>` : ''}
<form method="post" action="/subscribe" novalidate>
<label for="email">Email address</label>
<input id="email" name="email" type="email" autocomplete="email" required value="${values.email ?? ''}"${error ? html` aria-describedby="form-error" aria-invalid="true"` : ''}>
<label for="name">Name <span class="muted">(optional)</span></label>
<input id="name" name="name" type="text" autocomplete="name" maxlength="200" value="${values.name ?? ''}">
<fieldset><legend>Topics you care about <span class="muted">(optional)</span></legend>
${deps.config.web.topics.map((topic) => html`<label><input type="checkbox" name="topics" value="${topic}"${chosen.has(topic) ? html` checked` : ''}> ${topic}</label>`)}
</fieldset>
<div class="trap" aria-hidden="true"><label for="website">Leave this empty</label><input id="website" name="website" type="text" tabindex="-1" autocomplete="off"></div>
<button type="submit">Subscribe</button>
</form>
<p class="muted">We send a confirmation link first. Every email has a one-click unsubscribe link. <a href="/archive">Read past editions</a>.</p>`;
}

const checkInbox = (deps: WebDeps) =>
  page(
    'Check your inbox',
    html`<h1>Check your inbox</h1>
<p>If that address can receive ${deps.config.newsletter.name}, a confirmation link is on its way. Open it to start getting the digest.</p>
<p class="muted">Nothing arrives? Look in the spam folder, or <a href="/">try again</a> in a few minutes.</p>`,
  );

export function subscribeRoutes(app: FastifyInstance, deps: WebDeps): void {
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
      // A bot filled the hidden field: answer exactly as for a person, do nothing.
      if (body.website) return reply.send(checkInbox(deps));
      const email = checkEmail(String(body.email ?? ''));
      if (!email.ok) return reply.code(400).send(page('Subscribe', form(deps, body, `That address does not look right: ${email.reason}.`)));
      const name = checkName(body.name === undefined ? undefined : String(body.name));
      if (!name.ok) return reply.code(400).send(page('Subscribe', form(deps, body, `That name cannot be used: ${name.reason}.`)));

      const topics = parseTopics([body.topics ?? []].flat().join(','));
      const existing = await deps.subscribers.findByEmail(email.value);
      // Same answer for new, pending and active addresses: nobody learns who is subscribed.
      const wantsConfirmation = !existing || existing.status === 'pending' || existing.status === 'unsubscribed';
      // Bounced and complained addresses get nothing; someone who unsubscribed may come back, via a new confirmation.
      if (wantsConfirmation) {
        await deps.subscribers.upsertMany(
          [{ email: email.value, name: name.value, topics, status: 'pending', source: 'web', lists: [defaultListName] }],
          { resubscribe: existing?.status === 'unsubscribed' },
        );
        const subscriber = (await deps.subscribers.findByEmail(email.value))!;
        await sendConfirmation(deps, subscriber).catch((error: unknown) => {
          request.log.error({ err: (error as Error).message }, 'confirmation email not sent');
        });
      }
      return reply.send(checkInbox(deps));
    },
  );
}
