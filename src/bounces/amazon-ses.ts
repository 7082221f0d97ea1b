import { normalizeAddress } from './addresses.js';
import { classify } from './status.js';
import type { BounceKind, Complaint, FailedRecipient, OriginalHeaders } from './types.js';

/**
 * Amazon SES notifications mailed through SNS: the body is JSON, not a report. Bounce, Complaint
 * and Delivery notifications (`notificationType`, or `eventType` for event publishing), bare or
 * wrapped in an SNS envelope whose `Message` is the JSON as a string.
 */
export interface SesNotification {
  kind: BounceKind;
  recipients: FailedRecipient[];
  complaint?: Complaint;
  originalHeaders?: OriginalHeaders;
  source?: string;
}

type Json = Record<string, any>;

function parseJson(text: string): Json | undefined {
  const start = text.indexOf('{');
  if (start !== 0 || !/\\?"(notificationType|eventType)\\?"/.test(text)) return undefined;
  try {
    // SNS writes the JSON on one line; a footer may follow it.
    const end = text.indexOf('\n\n', start);
    const value = JSON.parse(text.slice(start, end === -1 ? undefined : end));
    if (value && typeof value.Message === 'string') return JSON.parse(value.Message);
    return value && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

function originalOf(mail: Json | undefined): OriginalHeaders | undefined {
  const common = mail?.commonHeaders;
  if (!common) return undefined;
  const join = (value: unknown) => (Array.isArray(value) ? value.join(', ') : typeof value === 'string' ? value : undefined);
  const headers: OriginalHeaders = {};
  for (const [name, value] of [
    ['message-id', common.messageId],
    ['to', join(common.to)],
    ['from', join(common.from)],
    ['subject', common.subject],
  ] as const) {
    if (typeof value === 'string' && value) headers[name] = value;
  }
  return Object.keys(headers).length > 0 ? headers : undefined;
}

export function readSesNotification(text: string): SesNotification | undefined {
  const json = parseJson(text.trim());
  const type = String(json?.notificationType ?? json?.eventType ?? '');
  if (!json || !type) return undefined;
  const base = { originalHeaders: originalOf(json.mail), source: normalizeAddress(json.mail?.source) };
  if (type === 'Bounce') {
    const transient = json.bounce?.bounceType !== 'Permanent';
    const recipients: FailedRecipient[] = [];
    for (const entry of json.bounce?.bouncedRecipients ?? []) {
      const email = normalizeAddress(entry?.emailAddress);
      if (!email) continue;
      const reason = String(entry.diagnosticCode ?? json.bounce?.bounceSubType ?? '').replace(/\s+/g, ' ').trim().slice(0, 300);
      const { status, hard } = classify(entry.status, reason, { delayed: transient });
      // SES says Transient for a full mailbox or a block: never hard, whatever the code.
      recipients.push({ email, status, hard: hard && !transient, action: entry.action === 'delayed' ? 'delayed' : 'failed', reason });
    }
    return { kind: 'bounce', recipients, ...base };
  }
  if (type === 'Complaint') {
    const complaint: Complaint = { feedbackType: String(json.complaint?.complaintFeedbackType ?? 'abuse') };
    const recipient = normalizeAddress(json.complaint?.complainedRecipients?.[0]?.emailAddress);
    if (recipient) complaint.recipient = recipient;
    if (json.complaint?.userAgent) complaint.userAgent = String(json.complaint.userAgent);
    return { kind: 'complaint', recipients: [], complaint, ...base };
  }
  return { kind: 'not-bounce', recipients: [], ...base };
}
