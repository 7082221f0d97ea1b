import type { MailParts } from './mime.js';

/**
 * A fast path for the common case, a plain multipart/report: a handful of parts in 7bit or 8bit
 * US-ASCII/UTF-8, nothing nested, nothing encoded. Cut apart here in a fraction of a MIME parser's
 * time (most of a bounce's parsing cost is the parser's per-message set-up); anything
 * else, or anything unexpected, returns undefined and goes through postal-mime. A test holds both
 * paths to the same result on every fixture that takes this one.
 */

const partTypes = new Set(['text/plain', 'message/delivery-status', 'message/feedback-report', 'message/rfc822', 'text/rfc822-headers']);

interface Header {
  key: string;
  value: string;
}

function splitHead(block: string): { headers: Header[]; body: string } | undefined {
  const end = /\r?\n\r?\n/.exec(block);
  const head = end ? block.slice(0, end.index) : block;
  const headers: Header[] = [];
  for (const line of head.split(/\r?\n(?![ \t])/)) {
    const colon = line.indexOf(':');
    if (colon <= 0 || /\s/.test(line.slice(0, colon))) return undefined;
    headers.push({
      key: line.slice(0, colon).toLowerCase(),
      value: line
        .slice(colon + 1)
        .replace(/\r?\n[ \t]+/g, ' ')
        .trim(),
    });
  }
  return { headers, body: end ? block.slice(end.index + end[0].length) : '' };
}

const first = (headers: Header[], key: string) => headers.find((h) => h.key === key)?.value;

/** `type/subtype` and the parameters this path accepts; undefined for anything it does not. */
function contentType(value: string | undefined): { type: string; boundary?: string } | undefined {
  if (value === undefined) return { type: 'text/plain' };
  const [type = '', ...params] = value.split(';').map((part) => part.trim());
  const out: { type: string; boundary?: string } = { type: type.toLowerCase() };
  for (const param of params) {
    const match = /^([\w-]+)\s*=\s*(?:"([^"]*)"|(\S*))$/.exec(param);
    if (!match) {
      if (param === '') continue;
      return undefined;
    }
    const name = match[1]!.toLowerCase();
    const paramValue = match[2] ?? match[3] ?? '';
    if (name === 'boundary') out.boundary = paramValue;
    else if (name === 'charset' && !/^(us-ascii|utf-8|ascii)$/i.test(paramValue)) return undefined;
    else if (name === 'format' && paramValue.toLowerCase() === 'flowed') return undefined;
  }
  return out;
}

const plainEncoding = (value: string | undefined) => value === undefined || /^(7bit|8bit)$/i.test(value);
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function readPlainReport(raw: Buffer): MailParts | undefined {
  const message = raw.toString('utf8');
  if (message.includes('\uFFFD')) return undefined; // not UTF-8: postal-mime knows the charsets
  const top = splitHead(message);
  if (!top || top.headers.length === 0) return undefined;
  const type = contentType(first(top.headers, 'content-type'));
  const subject = first(top.headers, 'subject') ?? '';
  if (type?.type !== 'multipart/report' || !type.boundary || subject.includes('=?')) return undefined;
  if (!plainEncoding(first(top.headers, 'content-transfer-encoding'))) return undefined;

  const delimiter = new RegExp(`(?:^|\\r?\\n)--${escaped(type.boundary)}(--)?[ \\t]*(?=\\r?\\n|$)`, 'g');
  const marks = [...top.body.matchAll(delimiter)];
  if (marks.length < 2 || !marks.at(-1)![1] || marks.slice(0, -1).some((m) => m[1])) return undefined;

  const parts: MailParts = { headers: new Map(), subject, text: '', deliveryStatus: [], feedbackReports: [], returned: [] };
  for (const { key, value } of top.headers) parts.headers.set(key, [...(parts.headers.get(key) ?? []), value]);
  const texts: string[] = [];
  const attachedTexts: string[] = [];
  for (let i = 0; i + 1 < marks.length; i++) {
    const start = marks[i]!.index! + marks[i]![0].length;
    const block = top.body.slice(start, marks[i + 1]!.index).replace(/^[ \t]*\r?\n/, '');
    const part = block.startsWith('\r\n') || block.startsWith('\n') ? { headers: [], body: block.replace(/^\r?\n/, '') } : splitHead(block);
    const partType = part && contentType(first(part.headers, 'content-type'));
    if (!part || !partType || !partTypes.has(partType.type) || !plainEncoding(first(part.headers, 'content-transfer-encoding'))) return undefined;
    const attached = /^attachment\b/i.test(first(part.headers, 'content-disposition') ?? '');
    if (partType.type === 'text/plain') (attached ? attachedTexts : texts).push(part.body.replace(/\r\n/g, '\n'));
    else if (partType.type === 'message/delivery-status') parts.deliveryStatus.push(part.body);
    else if (partType.type === 'message/feedback-report') parts.feedbackReports.push(part.body);
    else parts.returned.push(part.body);
  }
  parts.text = [texts.join('\n'), ...attachedTexts].filter((text) => text.trim() !== '').join('\n\n');
  return parts;
}
