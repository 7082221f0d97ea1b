import { format } from 'date-fns';
import { senderDomain } from '../delivery/index.js';
import { buildRawMessage, formatAddress, parseAddress } from '../mail/index.js';
import { confirmTemplateFiles, loadTemplates, oneLine } from '../render/index.js';
import type { Subscriber } from '../subscribers/index.js';
import type { WebDeps } from './context.js';

/** The double opt-in email: a signed confirm link that expires, sent through the configured transport. */
export async function sendConfirmation(deps: WebDeps, subscriber: Subscriber): Promise<void> {
  const { config } = deps;
  const now = (deps.now ?? (() => new Date()))();
  const templates = await loadTemplates(config.templates, confirmTemplateFiles);
  const expiresAt = Math.floor(now.getTime() / 1000 + config.web.confirmDays * 86_400);
  const token = deps.signer.sign({ subscriberId: subscriber.id, purpose: 'confirm', expiresAt });
  const context = {
    newsletter: { name: config.newsletter.name, postalAddress: config.newsletter.postalAddress },
    // Only the address from the form: whoever fills it in must not put words of theirs in our mouth,
    // so the name is left out of the body and the To header alike.
    recipient: { email: subscriber.email },
    links: { confirm: `${config.newsletter.baseUrl.replace(/\/+$/, '')}/confirm?token=${encodeURIComponent(token)}` },
    expiresInDays: config.web.confirmDays,
    preheader: '',
  };
  context.preheader = oneLine(templates.preheader(context));
  const from = parseAddress(config.newsletter.from);
  const message = {
    from: from ? formatAddress(from.address, from.name) : config.newsletter.from,
    to: subscriber.email,
    ...(config.newsletter.replyTo ? { replyTo: config.newsletter.replyTo } : {}),
    subject: oneLine(templates.subject({ newsletter: context.newsletter })),
    text: templates.text(context),
    html: templates.html(context),
    messageId: `<confirm.${subscriber.id}.${now.getTime()}@${senderDomain(config)}>`,
    date: now,
    headers: { 'Auto-Submitted': 'auto-generated' },
  };
  await deps.transport.send({
    ...message,
    raw: buildRawMessage(message),
    envelope: { from: from?.address ?? config.newsletter.from, to: subscriber.email },
    edition: { id: 0, day: format(now, 'yyyy-MM-dd'), list: 'confirmations' },
    subscriberId: subscriber.id,
  });
}
