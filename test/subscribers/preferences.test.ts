import { describe, expect, it } from 'vitest';
import { PaperboyError } from '../../src/errors.js';
import { normalizeAlerts, parseFrequency } from '../../src/subscribers/index.js';

describe('saved searches and frequencies as stored', () => {
  it('collapse spaces, lower-case, drop duplicates and sort, so equal sets are one stored text', () => {
    expect(normalizeAlerts(['  Protein   Folding ', 'agents', 'AGENTS'])).toEqual(['agents', 'protein folding']);
  });

  it("keep the CSV separators ; and | out of an alert, so an export imports back as it was", () => {
    expect(normalizeAlerts(['protein folding; diffusion', 'a|b agents'])).toEqual(['a b agents', 'protein folding diffusion']);
  });

  it('refuse a sixth alert, a stop-word-only one and an unknown frequency, with one line each', () => {
    expect(() => normalizeAlerts(['a1', 'b2', 'c3', 'd4', 'e5', 'f6'])).toThrow(/at most 5/);
    expect(() => normalizeAlerts(['the of'])).toThrow(PaperboyError);
    expect(parseFrequency(' Weekly ')).toBe('weekly');
    expect(() => parseFrequency('monthly')).toThrow(/daily, weekly, alerts/);
  });
});
