import { normalizeAddress } from './addresses.js';
import { returnedMessageMarkers, type TextFormat, textFormats } from './text-formats.js';

export interface TextRecipient {
  email: string;
  diagnostic: string;
}

export interface TextReport {
  format: string;
  recipients: TextRecipient[];
  /** The report's own text, from the paragraph that names the format to the returned message. */
  section: string;
}

/** The text of a report, up to where the returned message begins. */
export function reportPart(text: string, from = 0): string {
  const rest = text.slice(from);
  const end = returnedMessageMarkers.exec(rest);
  return end ? rest.slice(0, end.index) : rest;
}

/** Undoes one level of `> ` quoting, for a bounce that a person forwarded. */
export function unquote(text: string): string {
  const lines = text.split(/\r?\n/);
  const quoted = lines.filter((line) => line.startsWith('>')).length;
  if (quoted < 5 || quoted < lines.length / 3) return text;
  return lines.map((line) => line.replace(/^> ?/, '')).join('\n');
}

const paragraphStart = (text: string, index: number) => {
  const blank = text.lastIndexOf('\n\n', index);
  return blank === -1 ? 0 : blank + 2;
};

function scan(section: string, format: TextFormat): TextRecipient[] {
  const found = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of section.split(/\r?\n/)) {
    const match = format.recipient.exec(line);
    const groups = match?.groups ?? {};
    const email = normalizeAddress(groups.email ?? groups.email2);
    if (email) {
      current = found.get(email) ?? [];
      found.set(email, current);
      const reason = groups.reason ?? groups.reason2;
      if (reason) current.push(reason);
    } else if (current) {
      current.push(line);
    }
  }
  return [...found].map(([email, lines]) => ({ email, diagnostic: lines.join(' ').replace(/\s+/g, ' ').trim() }));
}

/** Finds the first free-text format whose wording is in the text and that names a recipient. */
export function readTextReport(text: string): TextReport | undefined {
  for (const format of textFormats) {
    const start = format.start.exec(text);
    if (!start) continue;
    const section = reportPart(text, paragraphStart(text, start.index));
    const recipients = scan(section, format);
    if (recipients.length > 0) return { format: format.name, recipients, section };
  }
  return undefined;
}

const listedLine = /^\s*(?:(?<label>[^\s:<>@"][^:<>@"]{1,60}?):\s*)?"?<?(?<email>[^\s<>"'(),;:]+@[^\s<>"'(),;:]+?)>?"?:?\s*$/;
// Header-like labels are a quoted header block, not a report line.
const headerLabel = /^(to|from|cc|bcc|reply-to|sender|return-path|delivered-to|envelope-to|x-[\w-]+)$/i;

/**
 * Recipients that a report in an unknown wording lists: an address alone on its line (Domino,
 * Lotus Notes, au, many appliances list the failed addresses so), or after a short label
 * ("Unknown user: a@b", IMail's form), before the returned message. `ours` are the report's own
 * addresses (its To, From, our return path), never a failed recipient.
 */
export function listedRecipients(section: string, ours: Set<string>): TextRecipient[] {
  const found = new Map<string, string>();
  for (const line of section.split(/\r?\n/)) {
    const match = listedLine.exec(line);
    const label = match?.groups?.label?.trim();
    const email = normalizeAddress(match?.groups?.email);
    if (!email || ours.has(email) || (label && headerLabel.test(label))) continue;
    if (!found.has(email)) found.set(email, label ? line.trim() : '');
  }
  return [...found].map(([email, diagnostic]) => ({ email, diagnostic }));
}
