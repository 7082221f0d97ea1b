import { describe, expect, it } from 'vitest';
import { personalPapers } from '../../src/delivery/personal.js';
import { editionView } from '../../src/render/index.js';
import { fixturePapers } from '../helpers/papers.js';

const papers = editionView({ day: '2025-10-03', papers: fixturePapers('2025-10-03').slice(0, 10), newsletter: { name: 'T' } }).papers;

describe("a subscriber's own paper list", () => {
  it('is the edition as it is without topics or a smaller count', () => {
    expect(personalPapers(papers, { topics: [] }, new Map())).toBeUndefined();
    expect(personalPapers(papers, { topics: [], maxPapers: 10 }, new Map())).toBeUndefined();
  });

  it('puts papers on their topics first, keeps edition order within each part, and cuts to their count', () => {
    const topic = papers[6]!.keywords[0]!.toLowerCase();
    const mine = personalPapers(papers, { topics: [topic], maxPapers: 4 }, new Map())!;
    expect(mine).toHaveLength(4);
    expect(mine[0]!.keywords.some((keyword) => keyword.toLowerCase().includes(topic)) || mine[0]!.title.toLowerCase().includes(topic)).toBe(true);
    const ranks = mine.map((paper) => paper.rank);
    const onTopic = ranks.filter((rank) => papers[rank - 1]!.keywords.some((keyword) => keyword.toLowerCase().includes(topic)) || papers[rank - 1]!.title.toLowerCase().includes(topic) || papers[rank - 1]!.blurb.toLowerCase().includes(topic));
    expect(onTopic).toEqual([...onTopic].sort((a, b) => a - b));
    expect(mine).toContain(papers[6]);
  });

  it('works a preference set out once and reuses it', () => {
    const memo = new Map();
    const first = personalPapers(papers, { topics: ['video'], maxPapers: 3 }, memo);
    expect(personalPapers(papers, { topics: ['video'], maxPapers: 3 }, memo)).toBe(first);
    expect(memo.size).toBe(1);
  });
});
