/**
 * Turns the little LaTeX that shows up in paper titles and abstracts into plain Unicode:
 * `$τ$-bench` → τ-bench, `LLM$\times$MapReduce` → LLM×MapReduce, `$VILA^2$` → VILA²,
 * `Pok\'eChamp` → PokéChamp, `\textsc{FastCuRL}` → FastCuRL, and TeX that lost its dollars on
 * the way (`R^3-Bench` → R³-Bench, `N_0-VTLA` → N₀-VTLA, `LLMtimesMapReduce` → LLM×MapReduce).
 * Written by hand: the npm LaTeX libraries either render to HTML/MathML (KaTeX, MathJax;
 * useless in a Subject line or a text part) or are unmaintained. We only need the inline
 * subset that titles use, and a command we do not know degrades to its bare argument.
 * The tables are in latex-tables.ts, the commands in latex-commands.ts, dollarless TeX in latex-bare.ts.
 */
import { convertBareTex } from './latex-bare.js';
import { convertTex } from './latex-commands.js';

const convertText = (text: string): string => convertTex(convertBareTex(text), 'text');

const mathClosers: Record<string, string> = { $$: '$$', $: '$', '\\(': '\\)', '\\[': '\\]' };

/** The math span that opens at `pos` ($…$, $$…$$, \(…\), \[…\]) when it is closed, else undefined. */
function mathSpanAt(input: string, pos: number): { inside: string; end: number } | undefined {
  const opener = ['$$', '$', '\\(', '\\['].find((candidate) => input.startsWith(candidate, pos));
  if (!opener) return undefined;
  const closer = mathClosers[opener]!;
  const close = input.indexOf(closer, pos + opener.length);
  if (close === -1) return undefined; // a lone dollar (a price, "$5") is text
  return { inside: input.slice(pos + opener.length, close), end: close + closer.length };
}

/** Plain-text form of a title or abstract that may hold inline LaTeX. */
export function latexToText(input: string): string {
  if (!/[$\\^_]|times/.test(input)) return input;
  let out = '';
  let text = ''; // the text since the last math span
  let pos = 0;
  while (pos < input.length) {
    const math = mathSpanAt(input, pos);
    if (math) {
      out += convertText(text) + convertTex(math.inside, 'math');
      text = '';
      pos = math.end;
    } else {
      // a backslash and the character after it go together: \$ is a dollar, \\ a line break
      const length = input[pos] === '\\' ? 2 : 1;
      text += input.slice(pos, pos + length);
      pos += length;
    }
  }
  return (out + convertText(text)).replace(/[ \t]{2,}/g, ' ');
}
