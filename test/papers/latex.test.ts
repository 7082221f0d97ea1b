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
