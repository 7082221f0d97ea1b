import type { HelperDelegate, HelperOptions } from 'handlebars';
import { count } from '../words.js';
import { compactNumber } from './card.js';
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

/**
 * `{{plural paperCount "paper"}}`: "1 paper", "2 papers"; a third argument for an irregular plural.
 * Every count the templates show goes through it, so none says "1 stars"; from 1,000 on the
 * number is shortened ("1.2K stars") to keep a card's lines short.
 */
function plural(n: unknown, singular: unknown, pluralForm?: unknown): string {
  const value = Number(n);
  return count(value, String(singular), typeof pluralForm === 'string' ? pluralForm : undefined, value < 1000 ? value : compactNumber(value));
}

/**
 * Wrapping runs for every recipient but its input is mostly the edition's own text (titles,
 * abstracts), so results are remembered, per indent and prefix; a text that fits is returned at once.
 */
function wrapHelper(newline: string) {
  const memo: Map<string, Map<string, string>>[] = [];
  // Fixed parameters, not rest ones: this runs for every paper of every message. Inline
  // `{{wrap text 3}}` passes (text, 3, options), `{{wrap text 3 "Label: "}}` (text, 3, "Label: ",
  // options); block `{{#wrap 3}}…{{/wrap}}` passes (3, options).
  return function wrap(this: unknown, first: unknown, second: unknown, third: unknown): string {
    const block = typeof (second as Partial<HelperOptions> | undefined)?.fn === 'function';
    const text = String((block ? (second as HelperOptions).fn(this) : first) ?? '');
    const prefix = !block && typeof third === 'string' ? third : '';
    const indent = Math.max(0, Math.min(40, Number(block ? first : second) || 0));
    if (prefix.length + text.length + indent <= textWidth) return prefix + text;
    const byPrefix = (memo[indent] ??= new Map());
    let known = byPrefix.get(prefix);
    if (!known) byPrefix.set(prefix, (known = new Map()));
    let wrapped = known.get(text);
    if (wrapped === undefined) {
      if (known.size > 10_000) known.clear();
      known.set(text, (wrapped = wrapText(prefix + text, indent, newline)));
    }
    return wrapped;
  };
}

/**
 * `{{#perPaper}}…{{/perPaper}}` in a paper loop renders its block once per paper and block, and
 * gives every later reader the same text. A card reads only its paper's values, yet it is most of
 * a message's render: this keeps a richer card from costing every message of a send. The key is
 * the paper's view object, made once per edition, so an edition never sees another's cards.
 */
function perPaper(this: unknown, options: HelperOptions): string {
  if (typeof this !== 'object' || this === null) return options.fn(this);
  let byPaper = renderedBlocks.get(options.fn);
  if (!byPaper) renderedBlocks.set(options.fn, (byPaper = new WeakMap()));
  let text = byPaper.get(this);
  if (text === undefined) byPaper.set(this, (text = options.fn(this)));
  return text;
}
/** Handlebars keeps one `options.fn` per block of a compiled template (for templates without data variables). */
const renderedBlocks = new WeakMap<object, WeakMap<object, string>>();

/** The helpers templates use, for an environment whose templates end lines with `newline`. */
export function templateHelpers(newline: '\n' | '\r\n', safe: (html: string) => unknown): Record<string, HelperDelegate> {
  const filler = previewFiller(newline);
  return {
    eq: (a: unknown, b: unknown) => a === b,
    plural,
    /** Cuts at a word boundary with an ellipsis: `{{truncate firstPaper.title 80}}`. */
    truncate: (text: unknown, length: unknown) => trimText(String(text ?? ''), Number(length) || 80),
    wrap: wrapHelper(newline),
    perPaper,
    previewFiller: (text: unknown) => safe(filler(text)),
  };
}
