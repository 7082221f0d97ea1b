/**
 * tsqueryWords: the words a tsquery needs, which PostgreSQL's GIN index is asked for in its place.
 * Each paper the tsquery matches must hold them (a paper left out would be lost to the search), and
 * they should be as few as that allows (each is checked for every paper that holds one).
 */
import { describe, expect, it } from 'vitest';
import { engineMatch } from '../../src/search/index.js';
import { tsqueryWords } from '../../src/stores/postgres/index.js';

describe('tsqueryWords', () => {
  it('reads the phrase operators as &, each word once', () => {
    expect(tsqueryWords("'video' <-> 'generation'")).toBe("('video' & 'generation')");
    expect(tsqueryWords("'multi' <1> 'agent' | 'multi' <2> 'agent' | 'agent' <1> 'multi' | 'agent' <2> 'multi'")).toBe("('multi' & 'agent')");
    expect(tsqueryWords("'quantization'")).toBe("'quantization'");
  });

  it('keeps the precedence of to_tsquery: ! binds tightest, then the phrase operators, then &, then |', () => {
    expect(tsqueryWords("'a' <-> 'b' & 'c' | 'd'")).toBe("(('a' & 'b' & 'c') | 'd')");
    expect(tsqueryWords("('a' | 'b') <2> 'c'")).toBe("(('a' | 'b') & 'c')");
  });

  it('drops an alternative that asks for all another one does, and more', () => {
    expect(tsqueryWords("('a' <-> 'b') | ('a' <-> 'b' & 'c' <-> 'd') | 'e'")).toBe("(('a' & 'b') | 'e')");
    // The query language's reinforcement learning: its spelled-out RLVR and RLHF ask for reinforcement learning and more.
    const words = tsqueryWords(engineMatch(['reinforcement learning'])!.tsquery)!;
    expect(words).toContain("('reinforcement' & 'learning')");
    expect(words).not.toContain('verifiable');
    expect(words).toContain("'grpo'");
    expect(words).not.toMatch(/<(\d+|-)>/);
    expect(words.match(/\('reinforcement' & 'learning'\)/g)).toHaveLength(1);
  });

  it('leaves out what a paper must not hold, which narrows nothing', () => {
    expect(tsqueryWords("'agent' & !'benchmark'")).toBe("'agent'");
    expect(tsqueryWords("'agent' <-> !'benchmark'")).toBe("'agent'");
    expect(tsqueryWords("!'benchmark'")).toBeUndefined();
    expect(tsqueryWords("'agent' | !'benchmark'")).toBeUndefined();
  });

  it('keeps weights, prefixes, quotes and bare words as written', () => {
    expect(tsqueryWords("'it''s':AB <-> super:*")).toBe("('it''s':AB & super:*)");
  });

  it('gives up on what is not tsquery syntax as expected, so the caller asks with the tsquery itself', () => {
    for (const text of ["'a' < 'b'", "('a' & 'b'", "'a' &", "& 'a'", "'a')", '', "'unterminated"]) expect(tsqueryWords(text), text).toBeUndefined();
  });
});
