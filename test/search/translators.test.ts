import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { parseQuery, searchableText, toFts5Match, toTsquery } from '../../src/search/index.js';
import { fixturePapers } from '../helpers/papers.js';
import { trickyQueries } from '../helpers/queries.js';

const db = new Database(':memory:');
afterAll(() => db.close());
db.exec("CREATE VIRTUAL TABLE papers USING fts5(title, keywords, summary, tokenize = 'porter unicode61')");
const insert = db.prepare('INSERT INTO papers (rowid, title, keywords, summary) VALUES (?, ?, ?, ?)');
const corpus = ['2026-05-12', '2026-08-21'].flatMap((day) => fixturePapers(day));
corpus.forEach((paper, index) => {
  insert.run(index + 1, searchableText(paper.title), searchableText(paper.keywords.join('; ')), searchableText(paper.summary));
});
const fts5 = (match: string, columns?: string[]) =>
  (db.prepare('SELECT rowid FROM papers WHERE papers MATCH ? ORDER BY rowid').all(toFts5Match(parseQuery(match), columns) ?? '""') as { rowid: number }[]).map(
    (row) => corpus[row.rowid - 1]!.title,
  );

describe('toFts5Match', () => {
  it('writes words as quoted strings, phrases as NEAR pairs, alternatives with OR and clauses with AND', () => {
    expect(toFts5Match(parseQuery('video generation'))).toBe(
      '(NEAR("video" "generation", 3) OR NEAR("video" "synthesis", 3) OR NEAR("video" "synthesize", 3) OR NEAR("video" "synthesise", 3))',
    );
    expect(toFts5Match(parseQuery('"mixture of experts" routing'))).toBe('"mixture of experts" AND "routing"');
    expect(toFts5Match(parseQuery('quantisation'))).toBe('("quantisation" OR "quantization")');
    expect(toFts5Match(parseQuery('agent'), ['title', 'summary'])).toBe('{title summary} : ("agent")');
  });

  it('turns operators, quotes and column filters a reader types into words or nothing', () => {
    expect(toFts5Match(parseQuery('NEAR(agent cat, 2)'))).toBe('(NEAR("near" "agent", 3) AND NEAR("agent" "cat", 3) AND NEAR("cat" "2", 3))');
    expect(toFts5Match(parseQuery('{title}: agent*'))).toBe('NEAR("title" "agent", 3)');
    expect(toFts5Match(parseQuery("'; DROP TABLE papers; --"))).toBe('(NEAR("drop" "table", 3) AND NEAR("table" "papers", 3))');
  });

  it('gives nothing to ask for a query without a word, and refuses a column name that is not one', () => {
    expect(toFts5Match(parseQuery('the of "" *'))).toBeUndefined();
    expect(() => toFts5Match(parseQuery('agent'), ['title) OR (1'])).toThrow(/not a column name/);
  });

  it('never makes FTS5 fail, whatever the reader typed', () => {
    for (const text of trickyQueries) expect(() => fts5(text), JSON.stringify(text)).not.toThrow();
    for (let seed = 1; seed <= 300; seed++) {
      const text = Array.from({ length: 12 }, (_, index) => String.fromCharCode(32 + ((seed * 7919 + index * 104729) % 95))).join('');
      expect(() => fts5(text), JSON.stringify(text)).not.toThrow();
    }
  });

  it('finds in FTS5 what the query means: the hyphenated title, its acronym, not the idiom', () => {
    expect(fts5('mixture of experts')).toContain('DECO: Sparse Mixture-of-Experts with Dense-Comparable Performance on End-Side Devices');
    expect(fts5('MoE')).toContain('DECO: Sparse Mixture-of-Experts with Dense-Comparable Performance on End-Side Devices');
    expect(fts5('"long context"')).toContain('Make Each Token Count: Towards Improving Long-Context Performance with KV Cache Eviction');
    expect(fts5('agent', ['title'])).toEqual(corpus.filter((paper) => /\bagent/i.test(paper.title)).map((paper) => paper.title));
  });

  it('finds a model family by its versioned name, and a term only as written', () => {
    expect(searchableText('Qwen3-8B and GraphRAG')).toBe('Qwen3 Qwen 8B and GraphRAG RAG ');
    expect(searchableText('Qwen3.5-35B')).toBe('Qwen3 Qwen .5 35B');
    expect(fts5('Qwen', ['summary'])).toContain('Rebellious Student: Reversing Teacher Signals for Reasoning Exploration with Self-Distilled RLVR');
    expect(toFts5Match(parseQuery('MoE'))).toContain('"mixture of experts"');
  });
});

describe('toTsquery', () => {
  it('writes words as quoted lexemes, pairs as <k> both ways, alternatives with | and clauses with &', () => {
    expect(toTsquery(parseQuery('"mixture of experts" routing'))).toBe("('mixture' <-> 'of' <-> 'experts') & 'routing'");
    expect(toTsquery(parseQuery('long term'))).toBe(
      "('long' <1> 'term' | 'long' <2> 'term' | 'long' <3> 'term' | 'long' <4> 'term' | 'term' <1> 'long' | 'term' <2> 'long' | 'term' <3> 'long' | 'term' <4> 'long')",
    );
    expect(toTsquery(parseQuery('quantisation'))).toBe("('quantisation' | 'quantization')");
  });

  it('asks for an acronym in both numbers, as Snowball keeps the s of LLMs', () => {
    expect(toTsquery(parseQuery('LLMs'))).toMatch(/^\(\('llms' \| 'llm'\) \| /);
    expect(toTsquery(parseQuery('2026'))).toBe("'2026'");
  });

  it('leaves no reader text as tsquery syntax: only quoted letters and digits between operators', () => {
    for (const text of trickyQueries) {
      const tsquery = toTsquery(parseQuery(text));
      if (tsquery === undefined) continue;
      const outside = tsquery.replace(/'[\p{L}\p{N}]+'/gu, '');
      expect(outside, JSON.stringify(text)).toMatch(/^[\s()&|<>\-\d]*$/);
    }
    expect(toTsquery(parseQuery('the of'))).toBeUndefined();
  });
});
