/** One `Name: value` field of a header block, DSN or feedback report; `name` lower-cased. */
export interface Field {
  name: string;
  value: string;
}

const fieldLine = /^([A-Za-z][A-Za-z0-9-]*)[ \t]*:[ \t]*(.*)$/;

/**
 * Reads `Name: value` fields in order, unfolding continuation lines (RFC 5322 §2.2.3: a line that
 * starts with white space continues the field above). A blank line is kept as a `''` marker so
 * callers can see group boundaries; any other line that is not a field is skipped, so this also
 * reads fields out of free text.
 */
export function readFields(text: string): Array<Field | ''> {
  const out: Array<Field | ''> = [];
  let current: Field | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      current = undefined;
      if (out.at(-1) !== '') out.push('');
      continue;
    }
    if (/^[ \t]/.test(line)) {
      if (current) current.value = `${current.value} ${line.trim()}`.trim();
      continue;
    }
    const match = fieldLine.exec(line);
    current = match ? { name: match[1]!.toLowerCase(), value: match[2]!.trim() } : undefined;
    if (current) out.push(current);
  }
  return out;
}

/** The first value of each field of a header block (up to its first blank line). */
export function readHeaderBlock(text: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const field of readFields(text)) {
    if (field === '') {
      if (headers.size > 0) break;
      continue;
    }
    if (!headers.has(field.name)) headers.set(field.name, field.value);
  }
  return headers;
}
