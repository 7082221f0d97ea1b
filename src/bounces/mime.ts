import type { Attachment } from 'mailparser';
import { PaperboyError, messageOf } from '../errors.js';
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

// Delivery-status parts as attachments (mailparser would merge them into the text), embedded
// messages left raw, and none of the hashing and link-making meant for display.
const options = {
  keepDeliveryStatus: true,
  ignoreEmbedded: true,
  checksumAlgo: false,
  skipTextToHtml: true,
  skipTextLinks: true,
  skipImageLinks: true,
  keepCidLinks: true,
} as const;

const deliveryStatusTypes = new Set(['message/delivery-status', 'message/global-delivery-status']);
const feedbackTypes = new Set(['message/feedback-report']);
const returnedTypes = new Set(['message/rfc822', 'text/rfc822-headers', 'message/global', 'message/global-headers', 'message/rfc822-headers']);

function headerMap(lines: ReadonlyArray<{ key: string; line: string }>): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  for (const { key, line } of lines) {
    const value = line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
    headers.set(key, [...(headers.get(key) ?? []), value]);
  }
  return headers;
}

const contentOf = (attachment: Attachment) => attachment.content.toString('utf8');

function rawBody(raw: Buffer): string {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const end = lf !== -1 && (crlf === -1 || lf < crlf) ? lf + 2 : crlf === -1 ? raw.length : crlf + 4;
  return raw.subarray(end).toString('utf8');
}

/** Takes a message apart: the plain-report fast path when it applies, else mailparser. */
export async function readMail(input: Buffer): Promise<MailParts> {
  const raw = repairMime(input);
  return readPlainReport(raw) ?? (await readWithMailparser(raw));
}

// Imported on first use: mailparser and what it pulls in cost ~0.4 s to load, and plain DSNs
// never need it.
let mailparser: Promise<typeof import('mailparser')> | undefined;

export async function readWithMailparser(raw: Buffer): Promise<MailParts> {
  mailparser ??= import('mailparser');
  const { simpleParser } = await mailparser;
  const mail = await simpleParser(raw, options).catch((error: unknown) => {
    throw new PaperboyError('INPUT', `Cannot read this message as mail: ${messageOf(error)}.`, { cause: error });
  });
  const typed = (types: Set<string>) => mail.attachments.filter((a) => types.has(a.contentType.toLowerCase()));
  const textAttachments = mail.attachments.filter((a) => /^text\//i.test(a.contentType) && !returnedTypes.has(a.contentType.toLowerCase()));
  const texts = [mail.text ?? '', ...textAttachments.map(contentOf)].filter((text) => text.trim() !== '');
  if (texts.length === 0 && mail.attachments.length === 0) texts.push(rawBody(raw));
  return {
    headers: headerMap(mail.headerLines),
    subject: mail.subject ?? '',
    text: texts.join('\n\n'),
    deliveryStatus: typed(deliveryStatusTypes).map(contentOf),
    feedbackReports: typed(feedbackTypes).map(contentOf),
    returned: typed(returnedTypes).map(contentOf),
  };
}
