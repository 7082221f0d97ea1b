import { createHash } from 'node:crypto';
import addressparser from 'nodemailer/lib/addressparser';
import { encodeWords } from 'nodemailer/lib/mime-funcs';
import type { MailMessage } from './message.js';

/**
 * Builds the raw RFC 5322 message by hand, for the send path. nodemailer's MailComposer does
 * the same job but costs ~2.4 ms a message here (stream plumbing and quoted-printable), which
 * would cap a send near 400 messages/s; this costs ~0.1 ms. Header encoding still comes from
 * nodemailer (encodeWords, addressparser). Sends and previews both use this builder.
 */

const lineLength = 76;

/** base64 in lines of 76 characters, CRLF-terminated, copied in one buffer. */
export function base64Lines(content: string): Buffer {
  const encoded = Buffer.from(Buffer.from(content, 'utf8').toString('base64'), 'latin1');
  const lines = Math.ceil(encoded.length / lineLength);
  const out = Buffer.allocUnsafe(encoded.length + lines * 2);
  let target = 0;
  for (let source = 0; source < encoded.length; source += lineLength) {
    target += encoded.copy(out, target, source, Math.min(source + lineLength, encoded.length));
    out[target++] = 13;
    out[target++] = 10;
  }
  return out.subarray(0, target);
}

function encodeDisplayName(name: string): string {
  if (/^[\x20-\x7e]*$/.test(name)) return `"${name.replace(/(["\\])/g, '\\$1')}"`;
  return encodeWords(name, 'Q', 52, true);
}

/** One mailbox for a header: `"Name" <address>` (encoded when not ASCII) or the bare address. */
export function formatAddress(address: string, name?: string): string {
  return name ? `${encodeDisplayName(name)} <${address}>` : address;
}

/** Configured addresses, parsed: a handful per process, asked for in every message. */
const parsedAddresses = new Map<string, Readonly<{ name: string; address: string }> | undefined>();

/** Parses a configured address such as `Paperboy <digest@example.org>` (once per value). */
export function parseAddress(value: string): Readonly<{ name: string; address: string }> | undefined {
  if (parsedAddresses.has(value)) return parsedAddresses.get(value);
  const [first] = addressparser(value, { flatten: true }) as { name: string; address: string }[];
  const parsed = first?.address ? Object.freeze({ name: first.name, address: first.address }) : undefined;
  if (parsedAddresses.size >= 64) parsedAddresses.clear();
  parsedAddresses.set(value, parsed);
  return parsed;
}

/** RFC 5322 date: "Thu, 26 Nov 2026 13:30:00 +0000". */
export function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

/** RFC 5322 asks header lines to stay within 78 characters, RFC 2047 within 76 when they hold an encoded-word: one limit for all. */
const headerLineLength = 76;

/**
 * `Name: value`, folded at the value's spaces so that no line is longer than headerLineLength
 * unless one word alone is (a long link or address: a word is never cut). Folding puts CRLF
 * before a space and unfolding takes it out again (RFC 5322 2.2.3), so the value reads back
 * unchanged; an encoded-word holds no space, so none is split, and List-Unsubscribe folds
 * between its <…> items. Hand-written rather than nodemailer's foldLines, which would fold right
 * after the colon when the first word is long, leaving the name alone on its line.
 */
function headerLine(name: string, value: string): string {
  // Values are built from checked input, but a header must never carry a line break of its own.
  const [first, ...rest] = value.replace(/[\r\n]+/g, ' ').split(' ');
  let line = `${name}: ${first}`;
  let folded = '';
  for (const word of rest) {
    if (line.length + 1 + word.length <= headerLineLength) line += ` ${word}`;
    else {
      folded += `${line}\r\n`;
      line = ` ${word}`;
    }
  }
  return `${folded}${line}\r\n`;
}

/** True when no line is longer than SMTP allows (998 octets before CRLF; checked in characters, with margin for UTF-8). */
export function linesFit(content: string): boolean {
  const limit = 998 / 4; // a character is at most 4 UTF-8 octets: below this no line can be too long
  let start = 0;
  for (;;) {
    const end = content.indexOf('\n', start);
    const length = (end === -1 ? content.length : end) - start;
    if (length > limit && Buffer.byteLength(content.slice(start, start + length)) > 997) return false;
    if (end === -1) return true;
    start = end + 1;
  }
}

export type BodyEncoding = '8bit' | 'base64';

/**
 * One body part. `8bit` (RFC 6152; every current MTA announces 8BITMIME) sends the UTF-8 as it is:
 * nothing to encode, and a third fewer bytes on the wire than base64, which is what SMTP
 * throughput is bound by. The caller must know the lines fit (see linesFit): the sender checks
 * that once per edition with the longest possible recipient, not in every message.
 */
function bodyPart(content: string, encoding: BodyEncoding): Buffer {
  if (encoding === 'base64') return base64Lines(content);
  const crlf = content.includes('\r\n') || !content.includes('\n') ? content : content.replaceAll('\n', '\r\n');
  return Buffer.from(`${crlf}\r\n`, 'utf8'); // that CRLF belongs to the boundary that follows (RFC 2046)
}

/**
 * `auto` checks each part's lines and uses 8bit where they fit, base64 where not. The sender
 * passes '8bit' or 'base64' decided once per edition, which saves the scan in every message.
 */
export function buildRawMessage(message: MailMessage, encoding: BodyEncoding | 'auto' = 'auto'): Buffer {
  const boundary = `=_paperboy_${createHash('sha1').update(message.messageId).digest('hex').slice(0, 24)}`;
  let head =
    headerLine('From', message.from) +
    headerLine('To', message.to) +
    (message.replyTo ? headerLine('Reply-To', message.replyTo) : '') +
    headerLine('Subject', encodeWords(message.subject, 'Q', 52)) +
    headerLine('Date', rfc5322Date(message.date)) +
    headerLine('Message-ID', message.messageId);
  for (const [name, value] of Object.entries(message.headers ?? {})) head += headerLine(name, value);
  head += `MIME-Version: 1.0\r\n${headerLine('Content-Type', `multipart/alternative; boundary="${boundary}"`)}\r\n`;
  const pick = (content: string): BodyEncoding => (encoding !== 'auto' ? encoding : linesFit(content) ? '8bit' : 'base64');
  const textEncoding = pick(message.text);
  const htmlEncoding = pick(message.html);
  return Buffer.concat([
    Buffer.from(`${head}--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: ${textEncoding}\r\n\r\n`, 'utf8'),
    bodyPart(message.text, textEncoding),
    Buffer.from(`--${boundary}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: ${htmlEncoding}\r\n\r\n`, 'latin1'),
    bodyPart(message.html, htmlEncoding),
    Buffer.from(`--${boundary}--\r\n`, 'latin1'),
  ]);
}
