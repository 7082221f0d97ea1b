import { format } from 'date-fns/format';
import { senderDomain } from '../delivery/index.js';
import { buildRawMessage, formatAddress, parseAddress } from '../mail/index.js';
import { loadTemplates, oneLine, type TemplateFiles } from '../render/index.js';
import type { Subscriber } from '../subscribers/index.js';
import type { WebDeps } from './context.js';

export interface ReaderMail {
  /** The mail's template files. */
  files: TemplateFiles;
  /** What the templates read, besides the newsletter, the address and the preheader. */
  context: Record<string, unknown>;
  /** Names the mail in its Message-ID and its outbox folder: `confirm` / `confirmations`. */
  kind: string;
  folder: string;
}

/**
 * One of the web side's own mails (a confirmation, an alert proposal) to one address, through
 * the configured transport. To the address alone, with no display name: whoever fills in a form
 * chooses the name, and must not put words of theirs in our mouth.
 */
export async function mailReader(deps: Pick<WebDeps, 'config' | 'transport' | 'now'>, subscriber: Subscriber, mail: ReaderMail): Promise<void> {
  const { config } = deps;
  const now = (deps.now ?? (() => new Date()))();
  const templates = await loadTemplates(config.templates, mail.files);
  const context = {
    newsletter: { name: config.newsletter.name, postalAddress: config.newsletter.postalAddress },
    recipient: { email: subscriber.email },
    ...mail.context,
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
    messageId: `<${mail.kind}.${subscriber.id}.${now.getTime()}@${senderDomain(config)}>`,
    date: now,
    headers: { 'Auto-Submitted': 'auto-generated' },
  };
  await deps.transport.send({
    ...message,
    raw: buildRawMessage(message),
    envelope: { from: from?.address ?? config.newsletter.from, to: subscriber.email },
    edition: { id: 0, day: format(now, 'yyyy-MM-dd'), list: mail.folder },
    subscriberId: subscriber.id,
  });
}
