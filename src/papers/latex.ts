/**
 * Turns the little LaTeX that shows up in paper titles and abstracts into plain Unicode:
 * `$τ$-bench` → τ-bench, `LLM$\times$MapReduce` → LLM×MapReduce, `$VILA^2$` → VILA².
 * Written by hand: the npm LaTeX libraries either render to HTML/MathML (KaTeX, MathJax;
 * useless in a Subject line or a text part) or are unmaintained. We only need the inline
 * subset that titles use, and anything we do not know degrades to its bare argument.
 */

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

const superscripts: Record<string, string> = {
  '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹',
  '+': '⁺', '-': '⁻', '=': '⁼', '(': '⁽', ')': '⁾', n: 'ⁿ', i: 'ⁱ', a: 'ᵃ', b: 'ᵇ', c: 'ᶜ', d: 'ᵈ',
  e: 'ᵉ', k: 'ᵏ', m: 'ᵐ', o: 'ᵒ', p: 'ᵖ', t: 'ᵗ', x: 'ˣ', T: 'ᵀ', '*': '*', '′': '′',
};

const subscripts: Record<string, string> = {
  '0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈', '9': '₉',
  '+': '₊', '-': '₋', '=': '₌', '(': '₍', ')': '₎', a: 'ₐ', e: 'ₑ', i: 'ᵢ', j: 'ⱼ', k: 'ₖ', m: 'ₘ',
  n: 'ₙ', o: 'ₒ', p: 'ₚ', r: 'ᵣ', s: 'ₛ', t: 'ₜ', x: 'ₓ',
};

/** Commands whose argument is kept as plain text (fonts, text boxes, operators). */
const passThroughCommands = new Set([
  'text', 'textbf', 'textit', 'texttt', 'textrm', 'textsf', 'emph', 'mathrm', 'mathbf', 'mathit', 'mathsf',
  'mathtt', 'mathcal', 'mathbb', 'mathfrak', 'boldsymbol', 'bm', 'operatorname', 'underline', 'overline',
  'hat', 'tilde', 'bar', 'vec', 'widehat', 'widetilde', 'mbox', 'scriptstyle', 'displaystyle',
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
      pos += (match?.[0].length ?? 1);
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

/** Plain-text form of a title or abstract that may hold inline LaTeX. */
export function latexToText(input: string): string {
  if (!input.includes('$') && !input.includes('\\')) return input;
  let out = '';
  let pos = 0;
  while (pos < input.length) {
    const ch = input[pos]!;
    if (ch === '\\' && input[pos + 1] === '$') {
      out += '$';
      pos += 2;
      continue;
    }
    if (ch === '$') {
      const double = input[pos + 1] === '$';
      const open = double ? 2 : 1;
      const close = input.indexOf(double ? '$$' : '$', pos + open);
      if (close === -1) {
        out += ch; // a lone dollar (a price, "$5") is text
        pos++;
        continue;
      }
      out += convertMath(input.slice(pos + open, close));
      pos = close + open;
      continue;
    }
    if (ch === '\\') {
      // LaTeX outside $…$ (e.g. "\textbf{X}" or "\times" in a title): convert the command alone
      const match = /^\\([A-Za-z]+(\{[^{}]*\})?|[%&#_{}])/.exec(input.slice(pos));
      if (match) {
        out += convertMath(match[0]);
        pos += match[0].length;
        continue;
      }
    }
    out += ch;
    pos++;
  }
  return out.replace(/[ \t]{2,}/g, ' ');
}
