import { describe, expect, it } from 'vitest';
import { stubEngineMatch } from '../../src/papers/index.js';

describe('the stand-in query translation (until src/search writes both expressions)', () => {
  it('requires every word, splitting on hyphens and punctuation, quoted for each engine', () => {
    expect(stubEngineMatch('Mixture-of-Experts, 3D!')).toEqual({
      fts5: '"Mixture" AND "of" AND "Experts" AND "3D"',
      tsquery: "'Mixture' & 'of' & 'Experts' & '3D'",
    });
    expect(stubEngineMatch('NEAR "AND" OR')).toEqual({ fts5: '"NEAR" AND "AND" AND "OR"', tsquery: "'NEAR' & 'AND' & 'OR'" });
    expect(stubEngineMatch('Pokéchamp')?.fts5).toBe('"Pokéchamp"');
  });

  it('has nothing to search for without a word', () => {
    expect(stubEngineMatch(' -- !? ')).toBeUndefined();
  });
});
