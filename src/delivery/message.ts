import type { Config } from '../config/index.js';
import type { Edition } from '../editions/index.js';
import type { DueDelivery } from '../ledger/index.js';
import type { Paper } from '../papers/index.js';
import { type BodyEncoding, buildRawMessage, formatAddress, linesFit, parseAddress, recipientLinks, searchLink } from '../mail/index.js';
import { type CompiledTemplates, type EditionView, editionView, type RecipientLinks, type RenderedDigest, renderDigest } from '../render/index.js';
import { MessageIdTokens, ReturnPathTokens, type TokenSigner } from '../subscribers/index.js';
import { Personalizer } from './personal.js';
import type { OutgoingMessage } from './transport.js';

/** Everything about the messages of one edition that is the same for every recipient. */
export interface MessageContext {
  edition: Edition;
  view: EditionView;
  templates: CompiledTemplates;
  from: string;
  envelopeFrom: string;
  /** VERP (delivery.returnPath): each message's envelope sender names its edition and reader. */
  returnPath?: { template: string; tokens: ReturnPathTokens };
  replyTo?: string;
  listId: string;
  unsubscribeMailto?: string;
  baseUrl: string;
  signer: TokenSigner;
  /** Fills in the MAC of each frozen Message-ID. */
  messageIds: MessageIdTokens;
  bodyEncoding: BodyEncoding;
  /** Each distinct preference set's digest (topics, alerts, count), worked out once. */
  personalizer: Personalizer;
}

export interface MessageParts {
  links: RecipientLinks;
  rendered: RenderedDigest;
}

/** The domain Message-IDs and List-Id are built on: the From address's. */
export function senderDomain(config: Readonly<Config>): string {
  return parseAddress(config.newsletter.from)?.address.split('@')[1] ?? 'paperboy.localhost';
}

/**
 * 8bit bodies need every line under SMTP's 998 octets. Only the recipient's name, address and
 * links change between messages, so one render with the longest possible ones settles it for the
 * whole edition; otherwise the edition goes out in base64. (A name or address with characters
 * HTML escapes to several bytes can be longer still: those messages are checked one by one.)
 */
function editionBodyEncoding(context: MessageContext): BodyEncoding {
  if (context.bodyEncoding === 'base64') return 'base64';
  const probe = messageParts(context, {
    subscriberId: Number.MAX_SAFE_INTEGER,
    email: `${'x'.repeat(64)}@${'d'.repeat(185)}.org`,
    name: 'N'.repeat(200),
    preferences: { topics: [] },
    messageId: '<probe@paperboy>',
    attempts: 0,
  });
  return linesFit(probe.rendered.html) && linesFit(probe.rendered.text) ? '8bit' : 'base64';
}

export function messageContext(
  config: Readonly<Config>,
  edition: Edition,
  view: EditionView,
  templates: CompiledTemplates,
  signer: TokenSigner,
  /** What saved-search alerts search: every paper of the day; the edition's own when absent. */
  searched?: readonly Paper[],
): MessageContext {
  const from = parseAddress(config.newsletter.from);
  const domain = senderDomain(config);
  const context: MessageContext = {
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
    messageIds: new MessageIdTokens(signer),
    bodyEncoding: config.delivery.bodyEncoding,
    personalizer: new Personalizer(
      edition.papers,
      view.papers,
      (queries) => searchLink(config.newsletter.baseUrl, queries, edition.day),
      searched && { papers: searched, views: editionView({ day: edition.day, papers: searched, newsletter: config.newsletter }).papers },
    ),
    ...(config.delivery.returnPath ? { returnPath: { template: config.delivery.returnPath, tokens: new ReturnPathTokens(signer) } } : {}),
  };
  context.bodyEncoding = editionBodyEncoding(context);
  return context;
}

/** The MAIL FROM of one message: the return path with its VERP token, else the From address. */
export function envelopeSender(context: Pick<MessageContext, 'envelopeFrom' | 'returnPath' | 'edition'>, subscriberId: number): string {
  const { returnPath } = context;
  return returnPath ? returnPath.template.replace('{token}', returnPath.tokens.make(subscriberId, context.edition.id)) : context.envelopeFrom;
}

/** One recipient's signed links and rendered parts, before any encoding. */
export function messageParts(context: MessageContext, delivery: DueDelivery): MessageParts {
  const { edition, signer } = context;
  const links = recipientLinks(context.baseUrl, edition.day, {
    unsubscribe: signer.sign({ subscriberId: delivery.subscriberId, purpose: 'unsubscribe' }),
    preferences: signer.sign({ subscriberId: delivery.subscriberId, purpose: 'preferences' }),
  });
  // An `alerts` reader is queued only when their searches match; one who changed them mid-send to
  // searches that match nothing gets the edition as it is rather than an empty mail.
  const personal = context.personalizer.personalize(delivery.preferences);
  const rendered = renderDigest(context.templates, context.view, {
    email: delivery.email,
    ...(delivery.name ? { name: delivery.name } : {}),
    links,
    ...(personal.papers && !personal.nothingToSend ? { papers: personal.papers, onTopic: personal.onTopic ?? 0 } : {}),
    ...(personal.alerts ? { alerts: personal.alerts } : {}),
  });
  return { links, rendered };
}

/** Characters `{{…}}` writes as entities: a name full of them renders longer than the edition's probe. */
const htmlEscaped = /[&<>"'`=]/;

/** One recipient's message: signed links, their paper list, rendered and encoded. */
export function buildMessage(context: MessageContext, delivery: DueDelivery, date: Date, parts = messageParts(context, delivery)): OutgoingMessage {
  const { edition } = context;
  const { links, rendered } = parts;
  const unsubscribeTargets = [`<${links.unsubscribe}>`];
  if (context.unsubscribeMailto) unsubscribeTargets.push(`<mailto:${context.unsubscribeMailto}?subject=unsubscribe>`);
  const message = {
    from: context.from,
    to: formatAddress(delivery.email, delivery.name || undefined),
    ...(context.replyTo ? { replyTo: context.replyTo } : {}),
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    messageId: context.messageIds.seal(delivery.messageId),
    date,
    headers: {
      'List-Id': context.listId,
      'List-Unsubscribe': unsubscribeTargets.join(', '),
      // RFC 8058 one-click: set directly (nodemailer's `list` option would turn it into a URL), and only
      // with an https:// link, as the RFC requires (an http:// base URL is refused for real mail anyway).
      ...(/^https:\/\//i.test(links.unsubscribe) ? { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {}),
    },
  };
  const encoding =
    context.bodyEncoding === '8bit' && htmlEscaped.test(delivery.name + delivery.email) && !(linesFit(message.html) && linesFit(message.text))
      ? 'base64'
      : context.bodyEncoding;
  let raw: Buffer | undefined;
  return {
    ...message,
    // Built on first use: a transport that never reads the MIME (json:) never pays for it.
    get raw() {
      return (raw ??= buildRawMessage(message, encoding));
    },
    envelope: { from: envelopeSender(context, delivery.subscriberId), to: delivery.email },
    edition: { id: edition.id, day: edition.day, list: edition.list },
    subscriberId: delivery.subscriberId,
  };
}
