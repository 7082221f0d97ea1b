import { describe, expect, it } from 'vitest';
import type { Paper } from '../../src/papers/paper.js';
import { comparePapers, selectPapers } from '../../src/papers/select.js';

const day = '2026-08-21';

function paper(id: string, upvotes: number, comments = 0, paperDay = day): Paper {
  return { id, title: `Paper ${id}`, summary: '', authors: ['A'], upvotes, comments, day: paperDay, keywords: [] };
}

const ids = (papers: Paper[]) => papers.map((p) => p.id);

describe('selectPapers', () => {
  const papers = [paper('c', 5), paper('a', 50), paper('b', 20), paper('d', 1), paper('e', 35)];

  it('ranks by upvotes, most first', () => {
    const selection = selectPapers(papers, day, { top: 10, minUpvotes: 0 });
    expect(ids(selection.papers)).toEqual(['a', 'e', 'b', 'c', 'd']);
    expect(selection).toMatchObject({ droppedAsRecent: 0, droppedBelowMinimum: 0 });
  });

  it('breaks ties by comments, then by id, whatever the input order', () => {
    const tied = [paper('z', 10, 1), paper('m', 10, 3), paper('b', 10, 1), paper('a', 10, 1), paper('q', 11, 0)];
    const expected = ['q', 'm', 'a', 'b', 'z'];
    expect(ids(selectPapers(tied, day, { top: 10, minUpvotes: 0 }).papers)).toEqual(expected);
    expect(ids(selectPapers([...tied].reverse(), day, { top: 10, minUpvotes: 0 }).papers)).toEqual(expected);
    expect(comparePapers(paper('a', 10, 1), paper('b', 10, 1))).toBeLessThan(0);
    expect(comparePapers(paper('a', 10, 1), paper('a', 10, 1))).toBe(0);
  });

  it('keeps the top N', () => {
    expect(ids(selectPapers(papers, day, { top: 2, minUpvotes: 0 }).papers)).toEqual(['a', 'e']);
  });

  it('drops papers under minUpvotes and counts them', () => {
    const selection = selectPapers(papers, day, { top: 10, minUpvotes: 20 });
    expect(ids(selection.papers)).toEqual(['a', 'e', 'b']);
    expect(selection.droppedBelowMinimum).toBe(2);
  });

  it('drops recently featured papers and counts them', () => {
    const selection = selectPapers(papers, day, { top: 2, minUpvotes: 0, recentlyFeatured: new Set(['a', 'x']) });
    expect(ids(selection.papers)).toEqual(['e', 'b']);
    expect(selection.droppedAsRecent).toBe(1);
  });

  it('ignores papers of other days without counting them', () => {
    const mixed = [...papers, paper('old', 500, 0, '2026-08-20'), paper('new', 400, 0, '2026-08-22')];
    const selection = selectPapers(mixed, day, { top: 3, minUpvotes: 10, recentlyFeatured: new Set(['old']) });
    expect(ids(selection.papers)).toEqual(['a', 'e', 'b']);
    expect(selection).toMatchObject({ droppedAsRecent: 0, droppedBelowMinimum: 2 });
  });

  it('does not reorder the input array', () => {
    const input = [paper('b', 1), paper('a', 2)];
    selectPapers(input, day, { top: 10, minUpvotes: 0 });
    expect(ids(input)).toEqual(['b', 'a']);
  });
});
