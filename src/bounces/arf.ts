import { normalizeAddress } from './addresses.js';
import { readFields } from './fields.js';
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
