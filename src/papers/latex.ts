/**
 * Turns the little LaTeX that shows up in paper titles and abstracts into plain Unicode:
 * `$τ$-bench` → τ-bench, `LLM$\times$MapReduce` → LLM×MapReduce, `$VILA^2$` → VILA², and TeX
 * that lost its dollars on the way (`R^3-Bench` → R³-Bench, `N_0-VTLA` → N₀-VTLA).
 * Written by hand: the npm LaTeX libraries either render to HTML/MathML (KaTeX, MathJax;
 * useless in a Subject line or a text part) or are unmaintained. We only need the inline
 * subset that titles use, and anything we do not know degrades to its bare argument.
 */

// biome-ignore format: a table of symbols reads best packed, a family to a line
const symbols: Record<string, string> = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', zeta: 'ζ', eta: 'η',
  theta: 'θ', vartheta: 'ϑ', iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π',
  rho: 'ρ', sigma: 'σ', tau: 'τ', upsilon: 'υ', phi: 'φ', varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω',
  Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Xi: 'Ξ', Pi: 'Π', Sigma: 'Σ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
  times: '×', cdot: '·', div: '÷', pm: '±', mp: '∓', leq: '≤', le: '≤', geq: '≥', ge: '≥', neq: '≠', ne: '≠',
  approx: '≈', sim: '∼', simeq: '≃', equiv: '≡', propto: '∝', infty: '∞', partial: '∂', nabla: '∇',
  sum: '∑', prod: '∏', int: '∫', sqrt: '√', in: '∈', notin: '∉', subset: '⊂', subseteq: '⊆', cup: '∪', cap: '∩',
  forall: '∀', exists: '∃', neg: '¬', land: '∧', lor: '∨', emptyset: '∅', circ: '∘', star: '⋆', ast: '∗',
  to: '→', rightarrow: '→', leftarrow: '←', Rightarrow: '⇒', Leftarrow: '⇐', leftrightarrow: '↔',
  mapsto: '↦', uparrow: '↑', downarrow: '↓', ldots: '…', cdots: '⋯', dots: '…', prime: '′', degree: '°',
  checkmark: '✓', dagger: '†', ell: 'ℓ', hbar: 'ℏ', Re: 'ℜ', Im: 'ℑ', '%': '%', '&': '&', '#': '#',
  '_': '_', '$': '$', '{': '{', '}': '}', ',': ' ', ';': ' ', quad: ' ', qquad: ' ', ' ': ' ', '!': '', '\\': ' ',
};

// biome-ignore format: a table of symbols reads best packed, a family to a line
const superscripts: Record<string, string> = {
  '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹',
  '+': '⁺', '-': '⁻', '=': '⁼', '(': '⁽', ')': '⁾', n: 'ⁿ', i: 'ⁱ', a: 'ᵃ', b: 'ᵇ', c: 'ᶜ', d: 'ᵈ',
  e: 'ᵉ', k: 'ᵏ', m: 'ᵐ', o: 'ᵒ', p: 'ᵖ', t: 'ᵗ', x: 'ˣ', T: 'ᵀ', '*': '*', '′': '′', '†': '†',
  '∘': '°', // 360^\circ is how TeX writes degrees
};

// biome-ignore format: a table of symbols reads best packed, a family to a line
const subscripts: Record<string, string> = {
  '0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈', '9': '₉',
  '+': '₊', '-': '₋', '=': '₌', '(': '₍', ')': '₎', a: 'ₐ', e: 'ₑ', i: 'ᵢ', j: 'ⱼ', k: 'ₖ', m: 'ₘ',
  n: 'ₙ', o: 'ₒ', p: 'ₚ', r: 'ᵣ', s: 'ₛ', t: 'ₜ', x: 'ₓ',
};

/** Commands whose argument is kept as plain text (fonts, text boxes, operators). */
const passThroughCommands = new Set([
  'text',
  'textbf',
  'textit',
  'texttt',
  'textrm',
  'textsf',
  'emph',
  'mathrm',
  'mathbf',
  'mathit',
  'mathsf',
  'mathtt',
  'mathcal',
  'mathbb',
  'mathfrak',
  'boldsymbol',
  'bm',
  'operatorname',
  'underline',
  'overline',
  'hat',
  'tilde',
  'bar',
  'vec',
  'widehat',
  'widetilde',
  'mbox',
  'scriptstyle',
  'displaystyle',
]);

/** Reads one argument at `pos`: a {group}, a \command or a single character. */
function readArgument(source: string, pos: number): { text: string; end: number } {
  while (source[pos] === ' ') pos++;
  if (source[pos] === '{') {
    let depth = 1;
    let end = pos + 1;
    while (end < source.length && depth > 0) {
      if (source[end] === '\\') end++;
      else if (source[end] === '{') depth++;
      else if (source[end] === '}') depth--;
      end++;
    }
    return { text: source.slice(pos + 1, end - 1), end };
  }
  if (source[pos] === '\\') {
    const match = /^\\([A-Za-z]+|.)/.exec(source.slice(pos));
    if (match) return { text: match[0], end: pos + match[0].length };
  }
  return { text: source[pos] ?? '', end: pos + 1 };
}

function scriptOf(text: string, table: Record<string, string>, marker: string): string {
  const plain = convertMath(text);
  const mapped = [...plain].map((ch) => table[ch]);
  if (mapped.every((ch) => ch !== undefined)) return mapped.join('');
  // No Unicode form for every character: keep it readable rather than half-converted.
  return plain.length === 1 ? `${marker}${plain}` : `${marker}(${plain})`;
}

/** Converts the inside of a $…$ math span. */
function convertMath(source: string): string {
  let out = '';
  let pos = 0;
  while (pos < source.length) {
    const ch = source[pos]!;
    if (ch === '\\') {
      const match = /^\\([A-Za-z]+|.)/.exec(source.slice(pos));
      const name = match?.[1] ?? '';
      pos += match?.[0].length ?? 1;
      if (name === 'frac') {
        const numerator = readArgument(source, pos);
        const denominator = readArgument(source, numerator.end);
        pos = denominator.end;
        out += `${convertMath(numerator.text)}/${convertMath(denominator.text)}`;
      } else if (passThroughCommands.has(name)) {
        const argument = readArgument(source, pos);
        pos = argument.end;
        out += convertMath(argument.text);
      } else if (name === 'left' || name === 'right' || name === 'big' || name === 'Big') {
        // sizing commands: the delimiter that follows is kept as it is
      } else if (name in symbols) {
        out += symbols[name];
      } else {
        out += name; // unknown command: its name reads better than a backslash
      }
    } else if (ch === '^' || ch === '_') {
      const argument = readArgument(source, pos + 1);
      pos = argument.end;
      out += ch === '^' ? scriptOf(argument.text, superscripts, '^') : scriptOf(argument.text, subscripts, '_');
    } else if (ch === '{' || ch === '}') {
      pos++;
    } else if (ch === '~') {
      out += ' ';
      pos++;
    } else {
      out += ch;
      pos++;
    }
  }
  return out;
}

// TeX that lost its $…$ (the feed strips them, or the author never typed them). Converted only
// where it cannot be anything else: a caret never appears in identifiers, an underscore does, so
// `_` needs a single-letter word before it (L_2, N_0) and digits that end the word (x_4o stays).
/** The Greek letters of the table, by name. */
const greekNames = Object.keys(symbols).filter((name) => /^[\u0370-\u03ff]$/.test(symbols[name]!));
/** Command names that read as math when a script follows them: nabla^2, sum_{i=1}, theta_0. */
const bareCommands = [...greekNames, 'nabla', 'partial', 'sum', 'prod', 'infty', 'ell'];
/** Command names that are a script by themselves: 360^{circ}, f^prime. */
const bareScriptNames = ['circ', 'prime', 'dagger'];

const group = String.raw`\{(?:[^{}]|\{[^{}]*\})*\}`;
// ^2, ^{…}, ^circ or ^\circ; a digit run before ".5" stays (n^2.5: there is no superscript dot)
const superscript = String.raw`\^(?:\d+(?!\.?\d)|${group}|\\?(?:${bareScriptNames.join('|')})(?!\p{L}))`;
const subscript = String.raw`_(?:\d+(?![\p{L}\p{N}_]|\.\w)|${group})`;
const script = `(?:${superscript}|${subscript})`;
const wordStart = String.raw`(?<![\p{L}\p{N}_.\\])`;
const bareTex = new RegExp(
  [
    String.raw`${wordStart}\\?(${bareCommands.join('|')})(${script}+)`,
    String.raw`${wordStart}(\p{L})(${subscript}${script}*)`,
    String.raw`(?<=[\p{L}\p{N})])(${superscript}${script}*)`,
  ].join('|'),
  'gu',
);
const bareName = new RegExp(String.raw`(?<![\\\p{L}])(?:${[...bareCommands, ...bareScriptNames].join('|')})(?!\p{L})`, 'gu');
const oneScript = /([\^_])\\?(\{(?:[^{}]|\{[^{}]*\})*\}|[A-Za-z]+|\d+)/g;

/** Where bare scripts are text: URLs, e-mail addresses, paths and file names (repo_1/x_2.py). */
const protectedText = new RegExp(
  [
    String.raw`\b[A-Za-z][A-Za-z0-9+.-]*:\/\/\S+`,
    String.raw`\bwww\.\S+`,
    String.raw`[\w.+-]+@[\w-]+(?:\.[\w-]+)+`,
    String.raw`(?<![^\s(\["'])[\w.~-]+(?:\/[\w.~-]+)+\/?`,
    String.raw`(?<![^\s(\["'])[\w-]*\w\.[A-Za-z][A-Za-z0-9]{0,5}(?!\w)`,
  ].join('|'),
  'gu',
);

function convertScripts(scripts: string): string {
  return [...scripts.matchAll(oneScript)]
    .map(([, marker, argument]) => {
      const text = argument!.startsWith('{') ? argument!.slice(1, -1) : argument!;
      const math = text.replace(bareName, '\\$&');
      return marker === '^' ? scriptOf(math, superscripts, '^') : scriptOf(math, subscripts, '_');
    })
    .join('');
}

/** Converts bare superscripts and subscripts in text outside $…$. */
function convertBareTex(text: string): string {
  if (!text.includes('^') && !text.includes('_')) return text;
  const kept = [...text.matchAll(protectedText)].map((m) => [m.index, m.index + m[0].length] as const);
  const isKept = (start: number, end: number) => kept.some(([from, to]) => start < to && end > from);
  return text.replace(
    bareTex,
    (
      match,
      name: string | undefined,
      nameScripts: string | undefined,
      letter: string | undefined,
      letterScripts: string | undefined,
      scripts: string | undefined,
      offset: number,
    ) => {
      if (isKept(offset, offset + match.length)) return match;
      if (name) return symbols[name]! + convertScripts(nameScripts!);
      if (letter) return letter + convertScripts(letterScripts!);
      return convertScripts(scripts!);
    },
  );
}

/** LaTeX outside $…$ (e.g. "\textbf{X}" or "\times" in a title): each command alone. */
const convertTextCommands = (text: string): string => text.replace(/\\([A-Za-z]+(\{[^{}]*\})?|[%&#_{}])/g, (command) => convertMath(command));

const convertText = (text: string): string => convertTextCommands(convertBareTex(text));

/** Plain-text form of a title or abstract that may hold inline LaTeX. */
export function latexToText(input: string): string {
  if (!/[$\\^_]/.test(input)) return input;
  let out = '';
  let text = ''; // the text since the last math span
  let pos = 0;
  while (pos < input.length) {
    const ch = input[pos]!;
    if (ch === '\\' && input[pos + 1] === '$') {
      text += '$';
      pos += 2;
      continue;
    }
    if (ch === '$') {
      const double = input[pos + 1] === '$';
      const open = double ? 2 : 1;
      const close = input.indexOf(double ? '$$' : '$', pos + open);
      if (close !== -1) {
        out += convertText(text) + convertMath(input.slice(pos + open, close));
        text = '';
        pos = close + open;
        continue;
      }
      // a lone dollar (a price, "$5") is text
    }
    text += ch;
    pos++;
  }
  return (out + convertText(text)).replace(/[ \t]{2,}/g, ' ');
}
