import { domainToASCII } from 'node:url';

export type Checked = { ok: true; value: string } | { ok: false; reason: string };

const lineBreak = /[\r\n\u2028\u2029]/;
// eslint-disable-next-line no-control-regex
const controlCharacter = /[\u0000-\u001f\u007f-\u009f]/;
// RFC 5322 atext, plus any non-ASCII letter (RFC 6531 internationalized local parts).
const localPartCharacter = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-\u0080-\uFFFF]$/u;
const domainLabel = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

function unsafeCharacters(value: string, what: string): string | undefined {
  if (lineBreak.test(value)) return `${what} contains a line break`;
  if (controlCharacter.test(value)) return `${what} contains a control character`;
  return undefined;
}

/**
 * A practical RFC 5322 address check with a specific reason for each refusal, and the form
 * paperboy stores: the local part as given, the domain lower-cased and IDN-encoded (punycode),
 * so two spellings of one mailbox compare equal. Written by hand because validator libraries
 * answer yes/no, and an import report needs to say *why* a row was refused.
 */
export function checkEmail(raw: string): Checked {
  const unsafe = unsafeCharacters(raw, 'address');
  if (unsafe) return { ok: false, reason: unsafe };
  const value = raw.trim();
  if (value === '') return { ok: false, reason: 'address is empty' };
  if (value.length > 254) return { ok: false, reason: 'address is longer than 254 characters' };
  if (/\s/.test(value)) return { ok: false, reason: 'address contains a space' };
  const at = value.lastIndexOf('@');
  if (at === -1) return { ok: false, reason: 'missing @' };
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local === '') return { ok: false, reason: 'missing the part before @' };
  if (domain === '') return { ok: false, reason: 'missing domain' };
  if (local.length > 64) return { ok: false, reason: 'the part before @ is longer than 64 characters' };
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    return { ok: false, reason: 'the part before @ has a misplaced dot' };
  }
  const badCharacter = [...local].find((ch) => ch !== '.' && !localPartCharacter.test(ch));
  if (badCharacter) return { ok: false, reason: `the part before @ contains "${badCharacter}"` };
  const asciiDomain = domainToASCII(domain.toLowerCase().replace(/\.$/, ''));
  if (asciiDomain === '') return { ok: false, reason: 'domain is not valid' };
  const labels = asciiDomain.split('.');
  if (labels.length < 2) return { ok: false, reason: 'domain has no dot' };
  if (!labels.every((label) => domainLabel.test(label))) return { ok: false, reason: 'domain is not valid' };
  if (/^\d+$/.test(labels.at(-1)!)) return { ok: false, reason: 'domain is not valid' };
  const normalized = `${local}@${asciiDomain}`;
  if (normalized.length > 254) return { ok: false, reason: 'address is longer than 254 characters' };
  return { ok: true, value: normalized };
}

/**
 * What makes two addresses one mailbox: the checked form (domain already lower-cased and
 * IDN-encoded) with its local part case-folded too. Every provider people use treats the local
 * part case-insensitively, and so does every list manager; the spelling given is kept for sending.
 */
export const emailKey = (checkedEmail: string): string => checkedEmail.toLowerCase();

/** A display name: no line breaks or control characters (it may end up in a To header), at most 200 characters. */
export function checkName(raw: string | undefined): Checked {
  if (raw === undefined) return { ok: true, value: '' };
  const unsafe = unsafeCharacters(raw, 'name');
  if (unsafe) return { ok: false, reason: unsafe };
  const value = raw.trim();
  if (value.length > 200) return { ok: false, reason: 'name is longer than 200 characters' };
  return { ok: true, value };
}

/** Topics as given in a CSV cell or a flag: "nlp; vision, robotics" → ["nlp", "vision", "robotics"]. */
export function parseTopics(raw: string | undefined): string[] {
  if (!raw) return [];
  const topics = raw
    .split(/[;,|]/)
    .map((topic) => topic.trim().toLowerCase())
    .filter((topic) => topic.length > 0 && !controlCharacter.test(topic));
  return [...new Set(topics)].sort();
}
