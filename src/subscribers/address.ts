import { domainToASCII } from 'node:url';

export type Checked = { ok: true; value: string } | { ok: false; reason: string };

const lineBreak = /[\r\n\u2028\u2029]/;
// eslint-disable-next-line no-control-regex
const controlCharacter = /[\u0000-\u001f\u007f-\u009f]/;
// RFC 5322 atext, plus any non-ASCII letter (RFC 6531 internationalized local parts).
const localPartCharacter = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-\u0080-\uFFFF]$/u;
const domainLabel = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

// Characters that change how text reads without showing: bidi overrides and isolates (U+202E
// turns "gpj.exe" around), zero-width spaces and joiners, the byte-order mark, the soft hyphen.
const invisibleCharacter = /[\u061c\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

function unsafeCharacters(value: string, what: string): string | undefined {
  if (lineBreak.test(value)) return `${what} contains a line break`;
  if (controlCharacter.test(value)) return `${what} contains a control character`;
  return undefined;
}

/**
 * A search, a label or any short text a reader types: no control characters (ESC and BEL would
 * reach the digest and the operator's terminal) and none of the invisible ones above.
 */
export function plainTextProblem(value: string, what: string): string | undefined {
  return unsafeCharacters(value, what) ?? (invisibleCharacter.test(value) ? `${what} contains an invisible or direction-changing character` : undefined);
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Length as a reader counts it: user-perceived characters (an emoji is one, however many UTF-16 units). */
export function visibleLength(value: string): number {
  let length = 0;
  for (const _ of graphemes.segment(value)) length++;
  return length;
}

/**
 * A spelling that becomes another address once normalized: the Kelvin sign K (U+212A) folds to
 * "k", the long s ſ to "s", fullwidth letters to ASCII under NFKC. Mail systems and our own
 * case-folded identity would take it for the ASCII address, so one person's requests could land
 * on another's record; nobody's real mailbox is spelled that way.
 */
function lookAlikeSpelling(value: string): string | undefined {
  for (const ch of value) {
    if (ch.charCodeAt(0) < 0x80) continue;
    if (/[\x00-\x7f]/.test(ch.normalize('NFKC') + ch.toLowerCase() + ch.toUpperCase()))
      return `address contains "${ch}", which stands for an ASCII letter; type it in plain letters`;
  }
  if (value.normalize('NFKC') !== value.normalize('NFC'))
    return 'address is written with look-alike characters (Unicode compatibility forms); type it in plain letters';
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
  const typed = raw.trim();
  const lookAlike = lookAlikeSpelling(typed);
  if (lookAlike) return { ok: false, reason: lookAlike };
  // Canonically composed (NFC): "ë" typed as e + U+0308 is the same text as the single letter.
  const value = typed.normalize('NFC');
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
