import { format } from 'date-fns/format';
import { senderDomain } from '../delivery/index.js';
import { buildRawMessage, formatAddress, parseAddress } from '../mail/index.js';
import { confirmTemplateFiles, loadTemplates, oneLine } from '../render/index.js';
import type { Subscriber } from '../subscribers/index.js';
import type { WebDeps } from './context.js';

/**
 * The double opt-in email: a signed link that expires, sent through the configured transport.
 * `resubscribe` is the same mail for someone who unsubscribed and asked to come back: its link
 * brings them back only if they clicked it after they left. It carries no text from the form:
 * the address, our own words and the link, nothing a stranger typed.
 */
export async function sendConfirmation(
  deps: Pick<WebDeps, 'config' | 'signer' | 'transport' | 'now'>,
  subscriber: Subscriber,
  purpose: 'confirm' | 'resubscribe' = 'confirm',
): Promise<void> {
  const { config } = deps;
  const now = (deps.now ?? (() => new Date()))();
  const templates = await loadTemplates(config.templates, confirmTemplateFiles);
  const expiresAt = Math.floor(now.getTime() / 1000 + config.web.confirmDays * 86_400);
  const token = deps.signer.sign({ subscriberId: subscriber.id, purpose, expiresAt });
  const context = {
    newsletter: { name: config.newsletter.name, postalAddress: config.newsletter.postalAddress },
    // Only the address from the form: whoever fills it in must not put words of theirs in our mouth,
    // so the name is left out of the body and the To header alike.
    recipient: { email: subscriber.email },
    returning: purpose === 'resubscribe',
    links: { confirm: `${config.newsletter.baseUrl.replace(/\/+$/, '')}/${purpose}?token=${encodeURIComponent(token)}` },
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
