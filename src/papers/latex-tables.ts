/** What the LaTeX converter knows: symbols, scripts, accents and commands by what they do. */

// biome-ignore format: a table of symbols reads best packed, a family to a line
export const symbols: Record<string, string> = {
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
  deg: '°', textdegree: '°', checkmark: '✓', dagger: '†', dag: '†', ddagger: '‡', ddag: '‡', ell: 'ℓ', hbar: 'ℏ',
  Re: 'ℜ', Im: 'ℑ', textendash: '–', textemdash: '—', textbullet: '•', textasciitilde: '~', textbar: '|',
  copyright: '©', textregistered: '®', texttrademark: '™', S: '§', P: '¶', pounds: '£', euro: '€',
  LaTeX: 'LaTeX', TeX: 'TeX', newline: ' ', linebreak: ' ', par: ' ',
  '%': '%', '&': '&', '#': '#', '_': '_', '$': '$', '{': '{', '}': '}',
  ',': ' ', ';': ' ', quad: ' ', qquad: ' ', ' ': ' ', '\\': ' ', '!': '', '-': '', '/': '', '@': '',
  // letters of other alphabets, written as commands in text (Erd\H{o}s, Gau\ss, Sch\o nberg)
  ss: 'ß', o: 'ø', O: 'Ø', aa: 'å', AA: 'Å', ae: 'æ', AE: 'Æ', oe: 'œ', OE: 'Œ', l: 'ł', L: 'Ł', i: 'ı', j: 'ȷ',
};

/** Letters written as commands: like TeX, they eat the spaces after them (`Sch\o nberg` → Schønberg). */
export const letterCommands = new Set(['ss', 'o', 'O', 'aa', 'AA', 'ae', 'AE', 'oe', 'OE', 'l', 'L', 'i', 'j']);

// biome-ignore format: a table of symbols reads best packed, a family to a line
export const superscripts: Record<string, string> = {
  '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹',
  '+': '⁺', '-': '⁻', '=': '⁼', '(': '⁽', ')': '⁾', n: 'ⁿ', i: 'ⁱ', a: 'ᵃ', b: 'ᵇ', c: 'ᶜ', d: 'ᵈ',
  e: 'ᵉ', k: 'ᵏ', m: 'ᵐ', o: 'ᵒ', p: 'ᵖ', t: 'ᵗ', x: 'ˣ', T: 'ᵀ', '*': '*', '′': '′', '†': '†',
  '∘': '°', // 360^\circ is how TeX writes degrees
};

// biome-ignore format: a table of symbols reads best packed, a family to a line
export const subscripts: Record<string, string> = {
  '0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈', '9': '₉',
  '+': '₊', '-': '₋', '=': '₌', '(': '₍', ')': '₎', a: 'ₐ', e: 'ₑ', i: 'ᵢ', j: 'ⱼ', k: 'ₖ', m: 'ₘ',
  n: 'ₙ', o: 'ₒ', p: 'ₚ', r: 'ᵣ', s: 'ₛ', t: 'ₜ', x: 'ₓ',
};

/**
 * Accents, as the Unicode combining mark each puts after its letter (`\'e` → e + U+0301, which
 * NFC composes to é), and as the character an accent on nothing shows (`\~{}` → ~).
 */
// biome-ignore format: a table of symbols reads best packed, a family to a line
export const accents: Record<string, { mark: string; alone: string }> = {
  "'": { mark: '\u0301', alone: '´' }, '`': { mark: '\u0300', alone: '`' }, '^': { mark: '\u0302', alone: '^' },
  '"': { mark: '\u0308', alone: '¨' }, '~': { mark: '\u0303', alone: '~' }, '=': { mark: '\u0304', alone: '¯' },
  '.': { mark: '\u0307', alone: '˙' }, u: { mark: '\u0306', alone: '˘' }, v: { mark: '\u030c', alone: 'ˇ' },
  H: { mark: '\u030b', alone: '˝' }, c: { mark: '\u0327', alone: '¸' }, k: { mark: '\u0328', alone: '˛' },
  r: { mark: '\u030a', alone: '˚' }, d: { mark: '\u0323', alone: '.' }, b: { mark: '\u0331', alone: '_' },
  t: { mark: '\u0361', alone: '' },
};

/** Commands whose argument is kept as plain text (fonts, text boxes, operators). */
// biome-ignore format: one name a line would fill a screen
export const passThroughCommands = new Set([
  'text', 'textbf', 'textit', 'texttt', 'textrm', 'textsf', 'textsc', 'textsl', 'textup', 'textmd', 'textnormal',
  'emph', 'underline', 'uline', 'mbox', 'fbox',
  'mathrm', 'mathbf', 'mathit', 'mathsf', 'mathtt', 'mathcal', 'mathbb', 'mathfrak', 'mathscr', 'mathnormal',
  'boldsymbol', 'bm', 'operatorname', 'overline', 'hat', 'tilde', 'bar', 'vec', 'widehat', 'widetilde',
  'scriptstyle', 'displaystyle',
]);

/** Declarations that change the font or layout of what follows: `{\em X}` is X. */
// biome-ignore format: one name a line would fill a screen
export const declarations = new Set([
  'em', 'bf', 'it', 'tt', 'rm', 'sf', 'sc', 'sl', 'up', 'bfseries', 'itshape', 'scshape', 'ttfamily', 'rmfamily',
  'sffamily', 'upshape', 'slshape', 'mdseries', 'normalfont', 'boldmath', 'unboldmath', 'tiny', 'scriptsize',
  'footnotesize', 'small', 'normalsize', 'large', 'Large', 'LARGE', 'huge', 'Huge', 'noindent', 'centering',
  'raggedright', 'relax', 'protect', 'xspace', 'left', 'right', 'big', 'Big', 'bigg', 'Bigg', 'bigl', 'bigr',
]);

/** Commands whose argument means nothing to a reader without the paper: a citation key, a label, a length. */
export const droppedCommands = new Set(['cite', 'citep', 'citet', 'ref', 'eqref', 'label', 'vspace', 'hspace']);

/** Commands of two arguments whose first is not for reading: `\href{url}{text}` is its text. */
export const secondArgumentCommands = new Set(['href', 'textcolor', 'colorbox']);
