import type { Config } from '../config/index.js';
import type { Edition } from '../editions/index.js';
import { buildRawMessage, formatAddress, parseAddress, recipientLinks } from '../mail/index.js';
import { renderDigest, type CompiledTemplates, type EditionView } from '../render/index.js';
import type { TokenSigner } from '../subscribers/index.js';
import type { DueDelivery } from './ledger.js';
import type { OutgoingMessage } from './transport.js';

/** Everything about the messages of one edition that is the same for every recipient. */
export interface MessageContext {
  edition: Edition;
  view: EditionView;
  templates: CompiledTemplates;
  from: string;
  envelopeFrom: string;
  replyTo?: string;
  listId: string;
  unsubscribeMailto?: string;
  baseUrl: string;
  signer: TokenSigner;
}

/** The domain Message-IDs and List-Id are built on: the From address's. */
export function senderDomain(config: Readonly<Config>): string {
  return parseAddress(config.newsletter.from)?.address.split('@')[1] ?? 'paperboy.localhost';
}

export function messageContext(config: Readonly<Config>, edition: Edition, view: EditionView, templates: CompiledTemplates, signer: TokenSigner): MessageContext {
  const from = parseAddress(config.newsletter.from);
  const domain = senderDomain(config);
  return {
    edition,
    view,
    templates,
    from: from ? formatAddress(from.address, from.name) : config.newsletter.from,
    envelopeFrom: from?.address ?? config.newsletter.from,
    ...(config.newsletter.replyTo ? { replyTo: config.newsletter.replyTo } : {}),
    listId: `${formatAddress(`${edition.list}.${domain}`, config.newsletter.name)}`,
    ...(config.newsletter.unsubscribeMailto ? { unsubscribeMailto: config.newsletter.unsubscribeMailto } : {}),
    baseUrl: config.newsletter.baseUrl,
    signer,
  };
}

/** One recipient's message: signed links, their paper list, rendered and encoded. */
export function buildMessage(context: MessageContext, delivery: DueDelivery, date: Date): OutgoingMessage {
  const { edition, signer } = context;
  const links = recipientLinks(context.baseUrl, edition.day, {
    unsubscribe: signer.sign({ subscriberId: delivery.subscriberId, purpose: 'unsubscribe' }),
    preferences: signer.sign({ subscriberId: delivery.subscriberId, purpose: 'preferences' }),
  });
  const maxPapers = delivery.preferences.maxPapers;
  const papers = maxPapers && maxPapers < context.view.papers.length ? context.view.papers.slice(0, maxPapers) : undefined;
  const rendered = renderDigest(context.templates, context.view, {
    email: delivery.email,
    ...(delivery.name ? { name: delivery.name } : {}),
    links,
    ...(papers ? { papers } : {}),
  });
  const unsubscribeTargets = [`<${links.unsubscribe}>`];
  if (context.unsubscribeMailto) unsubscribeTargets.push(`<mailto:${context.unsubscribeMailto}?subject=unsubscribe>`);
  const message = {
    from: context.from,
    to: formatAddress(delivery.email, delivery.name || undefined),
    ...(context.replyTo ? { replyTo: context.replyTo } : {}),
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    messageId: delivery.messageId,
    date,
    headers: {
      'List-Id': context.listId,
      'List-Unsubscribe': unsubscribeTargets.join(', '),
      // RFC 8058 one-click: set directly (nodemailer's `list` option would turn it into a URL).
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
  return {
    ...message,
    raw: buildRawMessage(message),
    envelope: { from: context.envelopeFrom, to: delivery.email },
    edition: { id: edition.id, day: edition.day, list: edition.list },
    subscriberId: delivery.subscriberId,
  };
}
