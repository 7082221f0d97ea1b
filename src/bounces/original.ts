import { readHeaderBlock } from './fields.js';
import { returnedMessageMarkers } from './text-formats.js';
import type { OriginalHeaders } from './types.js';

const kept = ['message-id', 'to', 'from', 'subject', 'list-id', 'list-unsubscribe', 'return-path'] as const;

function pick(headers: Map<string, string>): OriginalHeaders | undefined {
  const out: OriginalHeaders = {};
  for (const name of kept) {
    const value = headers.get(name);
    if (value) out[name] = value.replace(/\s+/g, ' ').trim();
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

const messageIdLine = /^([\s>]*)Message-Id[ \t]*:[ \t]*<[^<>\s]+>/i;

/**
 * Headers quoted in a report's text (Exim, qmail, Gmail… copy the returned message into the
 * body): the header block around a Message-ID line, preferring one past the "copy of the message"
 * marker, quoting (`> `) or indentation removed.
 */
function quotedHeaders(text: string): Map<string, string> | undefined {
  const lines = text.split(/\r?\n/);
  const marker = lines.findIndex((line) => returnedMessageMarkers.test(line));
  const candidates = lines.flatMap((line, i) => (messageIdLine.test(line) ? [i] : []));
  // No Message-ID quoted (an old Sendmail's "Unsent message follows"): the header block after the marker.
  const afterMarker = marker === -1 ? undefined : lines.findIndex((line, i) => i > marker && /^[A-Za-z][\w-]*[ \t]*:/.test(line));
  const at =
    candidates.find((i) => marker !== -1 && i > marker) ?? candidates.at(-1) ?? (afterMarker !== undefined && afterMarker !== -1 ? afterMarker : undefined);
  if (at === undefined) return undefined;
  const prefix = messageIdLine.exec(lines[at]!)?.[1] ?? '';
  const inBlock = (line: string | undefined) => {
    if (line === undefined || !line.startsWith(prefix)) return false;
    const rest = line.slice(prefix.length);
    return /^[A-Za-z][\w-]*[ \t]*:/.test(rest) || /^[ \t]+\S/.test(rest);
  };
  let first = at;
  while (inBlock(lines[first - 1])) first--;
  let last = at;
  while (inBlock(lines[last + 1])) last++;
  return readHeaderBlock(
    lines
      .slice(first, last + 1)
      .map((line) => line.slice(prefix.length))
      .join('\n'),
  );
}

/** Selected headers of the returned message: from its own MIME part, else quoted in the text. */
export function findOriginalHeaders(returnedParts: string[], texts: string[]): OriginalHeaders | undefined {
  for (const part of returnedParts) {
    const headers = pick(readHeaderBlock(part));
    if (headers?.['message-id']) return headers;
  }
  for (const text of texts) {
    const quoted = quotedHeaders(text);
    const headers = quoted && pick(quoted);
    if (headers) return headers;
  }
  return returnedParts.map((part) => pick(readHeaderBlock(part))).find(Boolean);
}

/** `<id@host>` out of a Message-ID header value. */
export function messageIdOf(value: string | undefined): string | undefined {
  const id = value && /<[^<>\s]+>/.exec(value)?.[0];
  return id || undefined;
}
