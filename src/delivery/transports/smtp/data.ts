import { isAscii } from 'node:buffer';

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;
const endOfData = Buffer.from('.\r\n');

/**
 * A message as it goes after DATA (RFC 5321 §4.5.2), as the parts to write: every line ends in
 * CRLF, a line that starts with a dot gets another, and a line with a lone dot ends it. The
 * message itself is not copied: the parts are slices of it and the few bytes added between them.
 */
export function dataOf(raw: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let from = 0;
  if (raw[0] === DOT) {
    parts.push(Buffer.from('.'));
  }
  for (let newline = raw.indexOf(LF); newline !== -1; newline = raw.indexOf(LF, newline + 1)) {
    const bare = newline === 0 || raw[newline - 1] !== CR;
    const dotNext = raw[newline + 1] === DOT;
    if (!bare && !dotNext) continue;
    parts.push(raw.subarray(from, newline));
    parts.push(Buffer.from(bare ? (dotNext ? '\r\n.' : '\r\n') : '\n.'));
    from = newline + 1;
  }
  parts.push(raw.subarray(from));
  const endsInNewline = raw.length >= 2 && raw[raw.length - 2] === CR && raw[raw.length - 1] === LF;
  const bareEnd = raw.length >= 1 && raw[raw.length - 1] === LF && !endsInNewline;
  if (!endsInNewline && !bareEnd) parts.push(Buffer.from('\r\n'));
  parts.push(endOfData);
  return parts;
}

/** True when any octet is outside 7-bit ASCII: the body is announced with BODY=8BITMIME (RFC 6152). */
export const hasEightBitOctets = (raw: Buffer): boolean => !isAscii(raw);
