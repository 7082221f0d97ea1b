import { firstAddress, normalizeAddress } from './addresses.js';
import { readFields, readHeaderBlock } from './fields.js';
import type { Complaint } from './types.js';

/**
 * RFC 5965 `message/feedback-report`, read by hand for the same reason as DSNs: no well-kept
 * JavaScript library parses it, and it is one block of `Name: value` fields.
 */
export interface FeedbackReport extends Complaint {
  /** Original-Mail-From: the MAIL FROM of the reported message, i.e. our return path. */
  originalMailFrom?: string;
}

export function parseFeedbackReport(text: string): FeedbackReport {
  const fields = new Map<string, string>();
  for (const field of readFields(text)) if (field !== '' && !fields.has(field.name)) fields.set(field.name, field.value);
  const report: FeedbackReport = { feedbackType: (fields.get('feedback-type') || 'abuse').toLowerCase() };
  const recipient = normalizeAddress(fields.get('original-rcpt-to'));
  if (recipient) report.recipient = recipient;
  const userAgent = fields.get('user-agent');
  if (userAgent) report.userAgent = userAgent;
  const mailFrom = normalizeAddress(fields.get('original-mail-from'));
  if (mailFrom) report.originalMailFrom = mailFrom;
  return report;
}

/**
 * Complaints that come without a `message/feedback-report` part, as Sisimai's ARF reader takes
 * them: Microsoft's Junk Mail Reporting Program sends the reported message alone (multipart/mixed)
 * and names the complaining reader in its `X-HmXmrOriginalRecipient` header, under a "complaint
 * about message from <IP>" subject; Apple Mail's unsubscribe button mails the list an
 * `X-Apple-Unsubscribe: true` message from the reader, an opt-out.
 */
export function readFeedbackVariant(headers: Map<string, string[]>, subject: string, returned: string[]): FeedbackReport | undefined {
  for (const part of returned) {
    const original = readHeaderBlock(part);
    const recipient = normalizeAddress(original.get('x-hmxmroriginalrecipient'));
    if (recipient || (/^\s*complaint about message from /i.test(subject) && original.size > 0)) {
      return { feedbackType: 'abuse', userAgent: 'Microsoft Junk Mail Reporting Program', ...(recipient ? { recipient } : {}) };
    }
  }
  if (headers.get('x-apple-unsubscribe')?.some((value) => /^true$/i.test(value.trim()))) {
    const recipient = firstAddress(headers.get('from')?.[0]);
    return { feedbackType: 'opt-out', userAgent: 'Apple Mail', ...(recipient ? { recipient } : {}) };
  }
  return undefined;
}
