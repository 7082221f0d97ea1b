import { describe, expect, it } from 'vitest';
import { latexToText } from '../../src/papers/latex.js';

const cases: [string, string][] = [
  // seen in real Daily Papers titles
  ['$τ$-bench', 'τ-bench'],
  ['LLM$\\times$MapReduce', 'LLM×MapReduce'],
  ['$VILA^2$', 'VILA²'],
  ['O$^2$-Searcher', 'O²-Searcher'],
  ['$\\mathcal{B}$-Coder', 'B-Coder'],
  // symbols, scripts, fractions
  ['$\\alpha$', 'α'],
  ['$\\alpha$-$\\beta$ pruning', 'α-β pruning'],
  ['$a \\times b \\leq c$', 'a × b ≤ c'],
  ['$x_1$', 'x₁'],
  ['$x_{10}$ and $x_{ij}$', 'x₁₀ and xᵢⱼ'],
  ['$x^{T}$', 'xᵀ'],
  ['$O(n^2)$', 'O(n²)'],
  ['$x^{\\alpha}$', 'x^α'],
  ['$x_{\\beta\\gamma}$', 'x_(βγ)'],
  ['$\\frac{a}{b}$', 'a/b'],
  ['$\\frac12$', '1/2'],
  ['$\\frac{\\pi}{2}$', 'π/2'],
  ['$$E=mc^2$$', 'E=mc²'],
  ['$360^\\circ$', '360°'],
  ['$\\textbf{Bold}$ move', 'Bold move'],
  ['$\\left( x \\right)$', '( x )'],
  ['$a\\\\b$', 'a b'],
  // unknown commands lose their backslash
  ['$\\foo$', 'foo'],
  ['$\\unknown{x}$', 'unknownx'],
  // LaTeX outside $…$
  ['\\textbf{X}-Net', 'X-Net'],
  ['a \\times b', 'a × b'],
  ['52.3\\% accuracy', '52.3% accuracy'],
  ['Who\\&When', 'Who&When'],
  // dollars that are text
  ['costs $5', 'costs $5'],
  ['costs \\$5 and \\$6', 'costs $5 and $6'],
  ['no math here', 'no math here'],
  ['', ''],
];

// TeX that reached us without its $…$, as seen in real titles and abstracts.
const bareCases: [string, string][] = [
  ['VILA^2: VILA Augmented VILA', 'VILA²: VILA Augmented VILA'],
  ['Transformer^2: Self-adaptive LLMs', 'Transformer²: Self-adaptive LLMs'],
  ['UFO^3: Weaving the Digital Agent Galaxy', 'UFO³: Weaving the Digital Agent Galaxy'],
  ['T^2PO: Uncertainty-Guided Exploration', 'T²PO: Uncertainty-Guided Exploration'],
  ['V^3: Viewing Volumetric Videos', 'V³: Viewing Volumetric Videos'],
  ['VLM^2-Bench: A Closer Look', 'VLM²-Bench: A Closer Look'],
  ['UniF^2ace: Fine-grained Face Understanding', 'UniF²ace: Fine-grained Face Understanding'],
  ['S^2-Guidance: Stochastic Self Guidance', 'S²-Guidance: Stochastic Self Guidance'],
  ['Video-Ma^2mba for long videos', 'Video-Ma²mba for long videos'],
  ['nabla^2DFT: A Universal Quantum Chemistry Dataset', '∇²DFT: A Universal Quantum Chemistry Dataset'],
  ['A Simple and Effective L_2 Norm-Based Strategy', 'A Simple and Effective L₂ Norm-Based Strategy'],
  ['N_0-VTLA: a model', 'N₀-VTLA: a model'],
  ['N_0-TWAM: a model', 'N₀-TWAM: a model'],
  ['R^3-Bench: LLMs Struggle', 'R³-Bench: LLMs Struggle'],
  ['a full-360^{circ} view', 'a full-360° view'],
  ['rotated by 90^\\circ', 'rotated by 90°'],
  ['runs in O(n^3) time', 'runs in O(n³) time'],
  ['from 10^{19} to 10^{22} FLOPs', 'from 10¹⁹ to 10²² FLOPs'],
  ['(a+b)^2 and x_{ij}^2', '(a+b)² and xᵢⱼ²'],
  ['theta_0 and pi_0', 'θ₀ and π₀'],
  ['O(n^2/log n)', 'O(n²/log n)'],
  // what has a Unicode form is converted; N_E has none as a superscript, so it stays readable in ^(…)
  ['sum_{i=1}^{N_E} w_i', '∑ᵢ₌₁^(N_E) w_i'],
  ['\\sum_{i=1}^{N} x', '∑ᵢ₌₁^N x'],
];

// Identifiers, links and prose that must reach the reader exactly as they are.
const keptAsIs = [
  'set max_new_tokens to 512',
  'top_k sampling',
  'gpt_4o and x_4o baselines',
  'model_A_2 and layer_1',
  'NavsimDauner2024_navsim',
  'Code: https://github.com/org/repo_1/blob/main/x_2.py',
  'see https://example.org/?n=2^3&k=a_1',
  'github.com/org/a_1/b and services/api_checker/x_2',
  'write to a_1@lab.example.org',
  'the file x_1.csv',
  'C++ and C# code',
  'Qwen2.5-7B-Instruct',
  'version v1.2.3 and react@^18.2.0 or "^1.2.3"',
  // a caret before a letter reads fine as it is, and could be anything but math
  '2^n possibilities',
  'O(n^2.5) with no superscript dot',
  'special tokens such as <|im_end|>',
  'scoring function Φ_T and AnyTalk_{RT}',
  'alphabet_1 and sum_of_squares',
  '0.23times faster',
];

describe('latexToText on TeX without its $…$', () => {
  it.each(bareCases)('%j → %j', (input, expected) => {
    expect(latexToText(input)).toBe(expected);
  });

  it.each(keptAsIs)('leaves %j as it is', (input) => {
    expect(latexToText(input)).toBe(input);
  });

  it('keeps an escaped underscore as text', () => {
    expect(latexToText('L\\_2 and x\\_1')).toBe('L_2 and x_1');
  });

  it('converts bare TeX next to $…$ math and leaves the math as before', () => {
    expect(latexToText('$τ$-bench and R^3-Bench in $O(n^2)$')).toBe('τ-bench and R³-Bench in O(n²)');
  });
});

describe('latexToText', () => {
  it.each(cases)('%j → %j', (input, expected) => {
    expect(latexToText(input)).toBe(expected);
  });

  it('leaves no $ (balanced math) and no backslash behind', () => {
    for (const [input, expected] of cases) {
      const output = latexToText(input);
      expect(output).toBe(expected);
      expect(output).not.toContain('\\');
      const dollars = (input.replace(/\\\$/g, '').match(/\$/g) ?? []).length;
      if (dollars > 0 && dollars % 2 === 0) expect(output).not.toContain('$');
    }
  });

  it('collapses the double spaces that removed commands leave', () => {
    expect(latexToText('A $\\left$ B')).toBe('A B');
  });
});
