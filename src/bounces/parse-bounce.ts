import { createHash } from 'node:crypto';
import { firstAddress } from './addresses.js';
import { readSesNotification } from './amazon-ses.js';
import { parseFeedbackReport, readFeedbackVariant } from './arf.js';
import { isAutoReply } from './auto-reply.js';
import { type DeliveryStatus, parseDeliveryStatus } from './dsn.js';
import { type MailParts, readMail } from './mime.js';
import { findOriginalHeaders, messageIdOf } from './original.js';
import { failedRecipientsHeader, fromDsn, fromText, succeeded } from './recipients.js';
import { envelopeRecipient } from './return-path.js';
import { listedRecipients, readTextReport, reportPart, type TextReport, unquote } from './text-report.js';
import type { BounceVerdict } from './types.js';

type Decision = Pick<BounceVerdict, 'kind' | 'recipients' | 'format' | 'complaint' | 'originalHeaders'> & { mailFrom?: string };

// Who sends bounces, and how they title them: needed only when no known format names a recipient.
const daemonMailbox = /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon|post_master|mmdf)(@|$)/i;
const daemonName = /mail delivery (system|subsystem)/i;
const bounceSubject =
  /undeliver|returned mail|failure notice|delivery (status notification|failure|failed|notification|has failed|problem)|mail delivery failed|non[- ]?delivery|could not be delivered|mail system error|error sending your mail|bounce/i;
const delayNotice = /has been delayed|transient non-fatal|delivery (is )?delayed|will (continue to )?(retry|try)|not yet been delivered|delay reason:/i;

/** The report comes from a mailer daemon: by its address (`"Postmaster" <postmaster@…>`, `<MAILER-DAEMON>`) or its name. */
function fromDaemon(from: string): boolean {
  const address = /<([^<>]*)>/.exec(from)?.[1] ?? from.trim();
  return daemonMailbox.test(address.trim()) || daemonName.test(from);
}

function dsnDecision(statuses: DeliveryStatus[], report: TextReport | undefined, format: string): Decision | undefined {
  const entries = statuses.flatMap((status) => status.recipients);
  if (entries.length === 0) return undefined;
  const paragraph = (email: string) => report?.recipients.find((r) => r.email === email)?.diagnostic ?? '';
  const recipients = fromDsn(entries, paragraph);
  // A failure whose Final-Recipient is no address (Exim names a mailbox file it could not write):
  // the text or X-Failed-Recipients says who it was.
  if (recipients.length === 0 && !entries.every(succeeded)) return undefined;
  const mailFrom = firstAddress(statuses.map((s) => s.message.get('x-postfix-sender')).find(Boolean));
  // A DSN that reports only successful deliveries (delivered, relayed, expanded) is not a bounce.
  return { kind: recipients.length > 0 ? 'bounce' : 'not-bounce', recipients, format, ...(mailFrom ? { mailFrom } : {}) };
}

function textDecision(mail: MailParts, text: string, report: TextReport | undefined): Decision | undefined {
  if (report) {
    const delayed = delayNotice.test(report.section);
    return { kind: 'bounce', recipients: fromText(report.recipients, report.section, delayed), format: report.format };
  }
  const from = mail.headers.get('from')?.[0] ?? '';
  const failedHeader = failedRecipientsHeader(mail.headers.get('x-failed-recipients'));
  if (failedHeader.length === 0 && !(fromDaemon(from) && bounceSubject.test(mail.subject))) return undefined;
  // A bounce in a wording we do not know: X-Failed-Recipients, else the addresses the report lists,
  // else the returned message's To.
  const section = reportPart(text);
  const original = findOriginalHeaders(mail.returned, [text]);
  const ours = new Set(
    [from, mail.headers.get('to')?.[0], envelopeRecipient(mail.headers), original?.from, original?.['return-path']]
      .map((v) => firstAddress(v))
      .filter((e): e is string => !!e),
  );
  const listed = failedHeader.length > 0 ? failedHeader.map((email) => ({ email, diagnostic: '' })) : listedRecipients(section, ours);
  const entries = listed.length > 0 ? listed : [firstAddress(original?.to)].filter((e): e is string => !!e).map((email) => ({ email, diagnostic: '' }));
  const recipients = fromText(entries, section, delayNotice.test(section));
  return { kind: 'bounce', recipients, format: 'unknown-mta' };
}

function decide(mail: MailParts, text: string): Decision {
  if (mail.feedbackReports.length > 0) {
    const { originalMailFrom, ...complaint } = parseFeedbackReport(mail.feedbackReports[0]!);
    return { kind: 'complaint', recipients: [], format: 'arf', complaint, ...(originalMailFrom ? { mailFrom: originalMailFrom } : {}) };
  }
  const variant = readFeedbackVariant(mail.headers, mail.subject, mail.returned);
  if (variant) return { kind: 'complaint', recipients: [], format: 'arf-variant', complaint: variant };
  const ses = readSesNotification(text);
  if (ses) {
    const { kind, recipients, complaint, source, originalHeaders } = ses;
    return {
      kind,
      recipients,
      format: 'amazon-ses-json',
      ...(complaint ? { complaint } : {}),
      ...(source ? { mailFrom: source } : {}),
      ...(originalHeaders ? { originalHeaders } : {}),
    };
  }
  const report = readTextReport(text);
  return (
    dsnDecision(mail.deliveryStatus.map(parseDeliveryStatus), report, 'dsn') ??
    dsnDecision([parseDeliveryStatus(text)].filter(looksLikeDsn), report, 'dsn-in-text') ??
    textDecision(mail, text, report) ??
    (isAutoReply(mail.headers, mail.subject)
      ? { kind: 'auto-reply', recipients: [], format: 'rfc3834' }
      : { kind: 'not-bounce', recipients: [], format: 'none' })
  );
}

/** DSN fields found in free text count only with an Action or a Status beside the recipient. */
const looksLikeDsn = (status: DeliveryStatus) => status.recipients.some((r) => r.action !== undefined || r.status !== undefined);

/**
 * Reads one message that came back to our return path: a bounce (RFC 3464 DSN or an MTA's own
 * wording), a complaint (RFC 5965 ARF, or Amazon SES's JSON), an auto-reply (RFC 3834), or none
 * of these. Only parsing: finding the subscriber and acting on it is the caller's. Throws a
 * PaperboyError (INPUT) only for what cannot be read as mail at all, e.g. a 2 MB "header".
 */
export async function parseBounce(raw: Buffer | string): Promise<BounceVerdict> {
  const buffer = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
  const mail = await readMail(buffer);
  const text = unquote(mail.text);
  const { mailFrom, originalHeaders: reported, ...decision } = decide(mail, text);
  const originalHeaders = reported ?? findOriginalHeaders(mail.returned, [text]);
  const verdict: BounceVerdict = {
    ...decision,
    messageId: messageIdOf(mail.headers.get('message-id')?.[0]) ?? `sha256:${createHash('sha256').update(buffer).digest('hex')}`,
  };
  const originalSender = mailFrom ?? firstAddress(originalHeaders?.['return-path']);
  const returnPath = envelopeRecipient(mail.headers) ?? originalSender;
  if (returnPath) verdict.returnPath = returnPath;
  if (originalSender && originalSender !== returnPath) verdict.originalSender = originalSender;
  const originalMessageId = messageIdOf(originalHeaders?.['message-id']);
  if (originalMessageId) verdict.originalMessageId = originalMessageId;
  if (originalHeaders) verdict.originalHeaders = originalHeaders;
  return verdict;
}
