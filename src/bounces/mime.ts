import { messageOf, PaperboyError } from '../errors.js';
import { readPlainReport } from './plain-report.js';
import { repairMime } from './repair.js';

/** What the bounce readers need from one message, taken apart once. */
export interface MailParts {
  /** Top-level header fields, raw values unfolded, by lower-case name (repeated fields keep every value). */
  headers: Map<string, string[]>;
  subject: string;
  /**
   * The readable text: text/plain parts (HTML turned to text when there is none), then text
   * attachments (returned headers as a .txt, parts whose Content-Type is garbled); the raw body
   * when the MIME structure gave nothing (a multipart whose boundary never appears).
   */
  text: string;
  /** Contents of message/delivery-status parts (RFC 3464; message/global-delivery-status, RFC 6533). */
  deliveryStatus: string[];
  /** Contents of message/feedback-report parts (RFC 5965). */
  feedbackReports: string[];
  /** The returned message or its headers (message/rfc822, text/rfc822-headers and their RFC 6532 twins). */
  returned: string[];
}

const deliveryStatusTypes = new Set(['message/delivery-status', 'message/global-delivery-status']);
const feedbackTypes = new Set(['message/feedback-report']);
const returnedTypes = new Set(['message/rfc822', 'text/rfc822-headers', 'message/global', 'message/global-headers', 'message/rfc822-headers']);

const decoder = new TextDecoder('utf-8');

function rawBody(raw: Buffer): string {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const end = lf !== -1 && (crlf === -1 || lf < crlf) ? lf + 2 : crlf === -1 ? raw.length : crlf + 4;
  return raw.subarray(end).toString('utf8');
}

/**
 * Any message taken apart by postal-mime (loaded on first use: plain reports never need it).
 * Report parts (delivery status, feedback report, the returned message or its headers) are kept
 * as attachments, never inlined into the text.
 */
let postalMime: Promise<typeof import('postal-mime')> | undefined;

export async function readMime(raw: Buffer): Promise<MailParts> {
  const { default: PostalMime } = await (postalMime ??= import('postal-mime'));
  const mail = await PostalMime.parse(raw, { forceRfc822Attachments: true }).catch((error: unknown) => {
    throw new PaperboyError('INPUT', `Cannot read this message as mail: ${messageOf(error)}.`, { cause: error });
  });
  const headers = new Map<string, string[]>();
  for (const { key, line } of mail.headerLines) {
    const value = line
      .slice(line.indexOf(':') + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
    headers.set(key, [...(headers.get(key) ?? []), value]);
  }
  const content = (attachment: (typeof mail.attachments)[number]) =>
    typeof attachment.content === 'string' ? attachment.content : decoder.decode(attachment.content as ArrayBuffer);
  const typed = (types: Set<string>) => mail.attachments.filter((a) => types.has(a.mimeType.toLowerCase())).map(content);
  const textAttachments = mail.attachments.filter((a) => /^text\//i.test(a.mimeType) && !returnedTypes.has(a.mimeType.toLowerCase()));
  const texts = [mail.text ?? '', ...textAttachments.map(content)].filter((text) => text.trim() !== '');
  if (texts.length === 0 && mail.attachments.length === 0) texts.push(rawBody(raw));
  return {
    headers,
    subject: mail.subject ?? '',
    text: texts.join('\n\n'),
    deliveryStatus: typed(deliveryStatusTypes),
    feedbackReports: typed(feedbackTypes),
    returned: typed(returnedTypes),
  };
}

/** Takes a message apart: the plain-report fast path when it applies, else postal-mime. */
export async function readMail(input: Buffer): Promise<MailParts> {
  const raw = repairMime(input);
  return readPlainReport(raw) ?? (await readMime(raw));
}
