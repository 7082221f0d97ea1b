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

// biome-ignore lint/suspicious/noExplicitAny: a notification is read field by field, each value checked where it is used
type Json = Record<string, any>;

/**
 * The JSON object the text starts with, read up to its closing brace (a footer may follow). Mail
 * relays break over-long lines by inserting "!", a line break and a space (Sendmail's folding of
 * lines past its limit; SNS writes the notification on one line): a raw line break cannot occur
 * inside JSON, so each such fold is undone first.
 */
function leadingObject(text: string): string | undefined {
  const unfolded = text.replace(/!\r?\n /g, '');
  let depth = 0;
  let inString = false;
  for (let i = 0; i < unfolded.length; i++) {
    const c = unfolded[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return unfolded.slice(0, i + 1);
  }
  return undefined;
}

function parseJson(text: string): Json | undefined {
  if (!text.startsWith('{') || !/\\?"(notificationType|eventType)\\?"/.test(text)) return undefined;
  const object = leadingObject(text);
  if (!object) return undefined;
  try {
    // Bare, or wrapped in an SNS envelope whose Message is the notification as a string.
    const value = JSON.parse(object);
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
      const reason = String(entry.diagnosticCode ?? json.bounce?.bounceSubType ?? '')
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, 300);
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
