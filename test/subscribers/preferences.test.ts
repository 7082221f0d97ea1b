import { describe, expect, it } from 'vitest';
import { PaperboyError } from '../../src/errors.js';
import { normalizeAlerts, parseFrequency } from '../../src/subscribers/index.js';

describe('saved searches and frequencies as stored', () => {
  it('collapse spaces, keep the case the reader wrote, drop duplicates in any case and sort, so equal sets are one stored text', () => {
    expect(normalizeAlerts(['  Protein   Folding ', 'agents', 'AGENTS', 'RAG'])).toEqual(['agents', 'Protein Folding', 'RAG']);
  });

  it('keep the CSV separators ; and | out of an alert, so an export imports back as it was', () => {
    expect(normalizeAlerts(['protein folding; diffusion', 'a|b agents'])).toEqual(['a b agents', 'protein folding diffusion']);
  });

  it('refuse a sixth alert, a stop-word-only one and an unknown frequency, with one line each', () => {
    expect(() => normalizeAlerts(['a1', 'b2', 'c3', 'd4', 'e5', 'f6'])).toThrow(/at most 5/);
    expect(() => normalizeAlerts(['the of'])).toThrow(PaperboyError);
    expect(parseFrequency(' Weekly ')).toBe('weekly');
    expect(() => parseFrequency('monthly')).toThrow(/daily, weekly, alerts/);
  });
});

describe('what an alert may hold', () => {
  it.each([
    ['NUL', 'agents\u0000'],
    ['BEL', 'agents\u0007'],
    ['ESC', '\u001b[31magents'],
    ['a right-to-left override', 'agents \u202e stnega'],
    ['a zero-width space', 'age\u200bnts'],
    ['a byte-order mark', '\ufeffagents'],
  ])('refuses %s with one line that says so', (_name, alert) => {
    expect(() => normalizeAlerts([alert])).toThrow(
      /^The alert contains (a control character|an invisible or direction-changing character); type the search in plain words\.$/,
    );
  });

  it('counts characters as a reader does: 100 emoji fit, 101 do not, and the message never cuts one in half', () => {
    const emoji = '🧬';
    expect(normalizeAlerts([`protein ${emoji.repeat(92)}`])).toHaveLength(1); // 8 + 92 = 100 characters, 192 UTF-16 units
    let message = '';
    try {
      normalizeAlerts([`protein ${emoji.repeat(93)}`]);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/longer than 100 characters/);
    expect(message).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/); // no lone high surrogate
  });

  it('still takes a tab between words as a space', () => {
    expect(normalizeAlerts(['protein\tfolding'])).toEqual(['protein folding']);
  });
});
