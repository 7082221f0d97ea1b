/**
 * Mail services' bounce and complaint events (their webhooks, signature already checked) as the
 * same verdicts a report read from a mailbox gives, so they go through one ingest path. Each
 * event's own id keys it, so a service that delivers a webhook twice counts once.
 */
import { createHash } from 'node:crypto';
import { shortLine } from '../words.js';
import { normalizeAddress } from './addresses.js';
import { readSesNotification } from './amazon-ses.js';
import { classify } from './status.js';
import type { BounceKind, BounceVerdict, FailedRecipient } from './types.js';

type Json = Record<string, unknown>;

const text = (value: unknown): string => (typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value));
const oneLine = (value: unknown) => shortLine(text(value));
const angled = (id: string) => (id && !id.startsWith('<') ? `<${id}>` : id);
const keyOf = (provider: string, id: string, body: unknown) =>
  `${provider}:${id || createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 32)}`;

function recipient(email: unknown, status: unknown, reason: unknown, hard?: boolean): FailedRecipient | undefined {
  const address = normalizeAddress(text(email));
  if (!address) return undefined;
  const classified = classify(text(status) || undefined, oneLine(reason));
  return { email: address, status: classified.status, hard: hard ?? classified.hard, action: 'failed', reason: oneLine(reason) };
}

function verdict(kind: BounceKind, format: string, messageId: string, parts: Partial<BounceVerdict> = {}): BounceVerdict {
  return { kind, format, recipients: [], messageId, ...parts };
}

/** Amazon SES through SNS: the notification in the SNS message's `Message`. */
export function verdictFromSes(snsMessageId: string, message: string): BounceVerdict {
  const notification = readSesNotification(message);
  const key = `ses:${snsMessageId}`;
  if (!notification) return verdict('not-bounce', 'webhook:ses', key);
  const messageId = notification.originalHeaders?.['message-id'];
  return verdict(notification.kind, 'webhook:ses', key, {
    recipients: notification.recipients,
    ...(notification.complaint ? { complaint: notification.complaint } : {}),
    ...(messageId ? { originalMessageId: angled(messageId) } : {}),
  });
}

/** Postmark: one bounce or spam complaint per request. */
export function verdictFromPostmark(body: Json): BounceVerdict {
  const type = text(body.Type);
  const key = keyOf('postmark', text(body.ID), body);
  const record = text(body.RecordType);
  if (record === 'SpamComplaint' || type === 'SpamComplaint') {
    const email = normalizeAddress(text(body.Email));
    return verdict('complaint', 'webhook:postmark', key, { complaint: { feedbackType: 'abuse', ...(email ? { recipient: email } : {}) } });
  }
  if (type === 'AutoResponder') return verdict('auto-reply', 'webhook:postmark', key);
  if (record !== 'Bounce') return verdict('not-bounce', 'webhook:postmark', key);
  // Postmark names the kind: a hard bounce or a bad address is gone; the rest (soft, DNS, blocked, …) may come back.
  const hard = type === 'HardBounce' || type === 'BadEmailAddress';
  const found = recipient(body.Email, undefined, [body.Description, body.Details].map(text).filter(Boolean).join(' — '), hard);
  return verdict('bounce', 'webhook:postmark', key, { recipients: found ? [found] : [] });
}

/** Mailgun: a `failed` (permanent or temporary) or `complained` event. */
export function verdictFromMailgun(body: Json): BounceVerdict {
  const data = (body['event-data'] ?? {}) as Json;
  const key = keyOf('mailgun', text(data.id), data);
  const headers = ((data.message as Json | undefined)?.headers ?? {}) as Json;
  const messageId = text(headers['message-id']);
  const original = messageId ? { originalMessageId: angled(messageId) } : {};
  if (data.event === 'complained') {
    const email = normalizeAddress(text(data.recipient));
    return verdict('complaint', 'webhook:mailgun', key, { complaint: { feedbackType: 'abuse', ...(email ? { recipient: email } : {}) }, ...original });
  }
  if (data.event !== 'failed') return verdict('not-bounce', 'webhook:mailgun', key, original);
  const status = (data['delivery-status'] ?? {}) as Json;
  const permanent = data.severity === 'permanent';
  const reason = [status.message, status.description].map(text).filter(Boolean).join(' — ');
  const found = recipient(data.recipient, status['enhanced-code'], reason);
  if (found && !permanent) found.hard = false;
  return verdict('bounce', 'webhook:mailgun', key, { recipients: found ? [found] : [], ...original });
}

/** SendGrid: a batch of events; bounces (hard) and blocks (soft), and spam reports. */
export function verdictsFromSendgrid(events: unknown): BounceVerdict[] {
  if (!Array.isArray(events)) return [];
  return (events as Json[]).map((event) => {
    const key = keyOf('sendgrid', text(event.sg_event_id), event);
    const smtpId = text(event['smtp-id']);
    const original = smtpId ? { originalMessageId: angled(smtpId) } : {};
    if (event.event === 'spamreport') {
      const email = normalizeAddress(text(event.email));
      return verdict('complaint', 'webhook:sendgrid', key, { complaint: { feedbackType: 'abuse', ...(email ? { recipient: email } : {}) }, ...original });
    }
    if (event.event !== 'bounce') return verdict('not-bounce', 'webhook:sendgrid', key, original);
    const found = recipient(event.email, event.status, event.reason);
    if (found && event.type === 'blocked') found.hard = false; // a block is about the sender, not the mailbox
    return verdict('bounce', 'webhook:sendgrid', key, { recipients: found ? [found] : [], ...original });
  });
}

/**
 * The generic webhook, for any MTA script: `{ kind, email, status?, hard?, reason?, messageId?,
 * id? }`, one or an array. `id` keys the event (else the body's hash); `messageId` is the Message-ID
 * of the message that bounced, if known.
 */
export function verdictsFromGeneric(body: unknown): BounceVerdict[] {
  const events = (Array.isArray(body) ? body : [body]) as Json[];
  return events.map((event) => {
    const kind = (['bounce', 'complaint', 'auto-reply'].includes(text(event.kind)) ? text(event.kind) : 'not-bounce') as BounceKind;
    const key = keyOf('generic', text(event.id), event);
    const original = event.messageId ? { originalMessageId: angled(text(event.messageId)) } : {};
    const email = normalizeAddress(text(event.email));
    if (kind === 'complaint')
      return verdict('complaint', 'webhook:generic', key, { complaint: { feedbackType: 'abuse', ...(email ? { recipient: email } : {}) }, ...original });
    if (kind !== 'bounce') return verdict(kind, 'webhook:generic', key, original);
    const found = recipient(event.email, event.status, event.reason, typeof event.hard === 'boolean' ? event.hard : undefined);
    return verdict('bounce', 'webhook:generic', key, { recipients: found ? [found] : [], ...original });
  });
}
