const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;
const endOfData = Buffer.from('.\r\n');

/**
 * A message as it goes after DATA (RFC 5321 §4.5.2): every line ends in CRLF, a line that starts
 * with a dot gets another, and a line with a lone dot ends it. Copies only when the message needs
 * a change; paperboy's own messages already end lines in CRLF, so usually it adds one dot or none.
 */
export function dataOf(raw: Buffer): Buffer {
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
  return Buffer.concat(parts);
}

/** True when any octet is outside 7-bit ASCII: the body is announced with BODY=8BITMIME (RFC 6152). */
export function hasEightBitOctets(raw: Buffer): boolean {
  for (let index = 0; index < raw.length; index++) if (raw[index]! > 0x7f) return true;
  return false;
}
