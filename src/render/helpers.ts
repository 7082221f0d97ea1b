import type { HelperDelegate, HelperOptions } from 'handlebars';
import { count } from '../words.js';
import { trimText } from './view.js';
import { textWidth, wrapText } from './wrap.js';

/**
 * Invisible characters after the preheader, so an inbox preview ends with it instead of running
 * on into the body ("Hi Ada, here are…"). The way react-email's Preview does it: no colour
 * trick (white text trips spam filters as low-contrast), just characters that show nothing.
 * Written as character references, so the HTML stays one byte per character.
 */
const fillerGroup = '&#847;&zwnj;&nbsp;';
const previewLength = 150;

/** Line breaks every 20 groups keep every line of the part far below SMTP's 998 octets. */
function previewFiller(newline: string) {
  const fillers = new Map<number, string>();
  return (text: unknown): string => {
    const groups = Math.max(0, previewLength - String(text ?? '').length);
    let filler = fillers.get(groups);
    if (filler === undefined) {
      const lines = Array.from({ length: Math.ceil(groups / 20) }, (_, line) => fillerGroup.repeat(Math.min(20, groups - line * 20)));
      fillers.set(groups, (filler = lines.join(newline)));
    }
    return filler;
  };
}

/** `{{plural paperCount "paper"}}`: "1 paper", "2 papers"; a third argument for an irregular plural. */
function plural(n: unknown, singular: unknown, pluralForm?: unknown): string {
  return typeof pluralForm === 'string' ? count(Number(n), String(singular), pluralForm) : count(Number(n), String(singular));
}

/**
 * Wrapping runs for every recipient but its input is mostly the edition's own text (titles,
 * abstracts), so results are remembered, per indent; a text that fits is returned at once.
 */
function wrapHelper(newline: string) {
  const memo: Map<string, string>[] = [];
  // Fixed parameters, not rest ones: this runs for every paper of every message.
  // Inline `{{wrap text 3}}` passes (text, 3, options); block `{{#wrap 3}}…{{/wrap}}` passes (3, options).
  return function wrap(this: unknown, first: unknown, second: unknown): string {
    const block = typeof (second as Partial<HelperOptions> | undefined)?.fn === 'function';
    const text = String((block ? (second as HelperOptions).fn(this) : first) ?? '');
    const indent = Math.max(0, Math.min(40, Number(block ? first : second) || 0));
    if (text.length + indent <= textWidth) return text;
    const known = (memo[indent] ??= new Map());
    let wrapped = known.get(text);
    if (wrapped === undefined) {
      if (known.size > 10_000) known.clear();
      known.set(text, (wrapped = wrapText(text, indent, newline)));
    }
    return wrapped;
  };
}

/** The helpers templates use, for an environment whose templates end lines with `newline`. */
export function templateHelpers(newline: '\n' | '\r\n', safe: (html: string) => unknown): Record<string, HelperDelegate> {
  const filler = previewFiller(newline);
  return {
    eq: (a: unknown, b: unknown) => a === b,
    plural,
    /** Cuts at a word boundary with an ellipsis: `{{truncate firstPaper.title 80}}`. */
    truncate: (text: unknown, length: unknown) => trimText(String(text ?? ''), Number(length) || 80),
    wrap: wrapHelper(newline),
    previewFiller: (text: unknown) => safe(filler(text)),
  };
}
