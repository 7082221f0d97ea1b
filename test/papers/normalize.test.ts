import { describe, expect, it } from 'vitest';
import { PaperboyError } from '../../src/errors.js';
import { describeSkipped, normalizeFeed } from '../../src/papers/normalize.js';
import { loadFixture, loadItems, rawItem } from '../helpers/papers.js';

const goodDays: Record<string, number> = {
  '2024-06-13': 21,
  '2025-01-21': 1,
  '2025-03-17': 12,
  '2025-10-03': 39,
  '2026-05-12': 50,
  '2026-08-21': 17,
};

function feedError(raw: unknown): PaperboyError {
  try {
    normalizeFeed(raw, '2025-01-01', 'the test feed');
  } catch (error) {
    expect(error).toBeInstanceOf(PaperboyError);
    return error as PaperboyError;
  }
  throw new Error('normalizeFeed did not throw');
}

/** A few good items from a recorded day, plus whatever the test adds. */
const goodItems = () => loadItems('2025-10-03').slice(0, 3);

describe('normalizeFeed on recorded days', () => {
  for (const [day, count] of Object.entries(goodDays)) {
    it(`${day}: ${count} papers, nothing skipped, clean one-line text`, () => {
      const feed = normalizeFeed(loadFixture(day), day, day);
      expect(feed.day).toBe(day);
      expect(feed.skipped).toEqual([]);
      expect(feed.papers).toHaveLength(count);
      expect(new Set(feed.papers.map((p) => p.id)).size).toBe(count);
      for (const paper of feed.papers) {
        expect(paper.day).toBe(day);
        expect(paper.title).not.toMatch(/[\r\n\t]|\s{2}|^\s|\s$/);
        expect(paper.summary).not.toMatch(/[\r\n]/);
        expect(paper.title + paper.summary).not.toContain('\\');
        expect(paper.authors.length).toBeGreaterThan(0);
        expect(Number.isInteger(paper.upvotes) && Number.isInteger(paper.comments)).toBe(true);
      }
    });
  }

  it('2024-06-13 (oldest schema): folded titles, comments, no AI fields or organization', () => {
    const { papers } = normalizeFeed(loadFixture('2024-06-13'), '2024-06-13', 'fixture');
    const first = papers[0]!;
    expect(first).toMatchObject({
      id: '2406.06523',
      // the raw title holds "Diffusion\n  Prior"
      title: 'NaRCan: Natural Refined Canonical Image with Integration of Diffusion Prior for Video Editing',
      upvotes: 32,
      comments: 1,
    });
    expect(first.authors).toHaveLength(6);
    for (const paper of papers) {
      expect(paper.aiSummary).toBeUndefined();
      expect(paper.organization).toBeUndefined();
      expect(paper.githubRepo).toBeUndefined();
      expect(paper.keywords).toEqual([]);
    }
    // "52.3\%" in an abstract reaches the reader as "52.3%"
    expect(papers.find((p) => p.id === '2406.08407')!.summary).toContain('only 52.3% accuracy');
  });

  it('2025-10-03: organization, GitHub repo and stars, AI summary, keywords', () => {
    const { papers } = normalizeFeed(loadFixture('2025-10-03'), '2025-10-03', 'fixture');
    expect(papers[0]).toMatchObject({
      id: '2510.02283',
      title: 'Self-Forcing++: Towards Minute-Scale High-Quality Video Generation',
      upvotes: 43,
      comments: 2,
      organization: 'ByteDance Seed',
      githubRepo: 'https://github.com/justincui03/Self-Forcing-Plus-Plus',
      githubStars: 1,
      projectPage: 'https://self-forcing-plus-plus.github.io/',
      publishedAt: '2025-10-02T17:55:42.000Z',
    });
    expect(papers[0]!.aiSummary).toMatch(/^A method is proposed to enhance long-hor/);
    expect(papers[0]!.keywords).toContain('diffusion models');
    expect(papers.every((p) => typeof p.aiSummary === 'string' && p.aiSummary.length > 20)).toBe(true);
    expect(papers.filter((p) => p.organization)).toHaveLength(16);
    expect(papers.filter((p) => p.githubStars !== undefined)).toHaveLength(19);
  });

  it('2026-08-21 (newest schema): organization on every paper, AI summaries', () => {
    const { papers } = normalizeFeed(loadFixture('2026-08-21'), '2026-08-21', 'fixture');
    expect(papers[0]).toMatchObject({ id: '2608.19880', upvotes: 163, organization: 'Google', githubStars: 8 });
    expect(papers[0]!.thumbnail).toBe('https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2608.19880.png');
    expect(papers.every((p) => p.thumbnail?.startsWith('https://'))).toBe(true);
    expect(papers.filter((p) => p.organization)).toHaveLength(17);
    expect(papers.filter((p) => p.aiSummary)).toHaveLength(16);
  });

  it('2026-05-12: "Who\\&When" becomes "Who&When"', () => {
    const { papers } = normalizeFeed(loadFixture('2026-05-12'), '2026-05-12', 'fixture');
    expect(papers.find((p) => p.id === '2605.08715')!.summary).toContain('external Who&When benchmark');
  });

  it('an empty day is no error', () => {
    expect(normalizeFeed([], '2025-01-01', 'x')).toEqual({ day: '2025-01-01', papers: [], skipped: [] });
  });
});

describe('normalizeFeed on broken feeds', () => {
  it('2024-12-11 (Python-repr strings) throws one-line FEED naming the origin', () => {
    const error = feedError(loadFixture('2024-12-11'));
    expect(error.code).toBe('FEED');
    expect(error.message).not.toContain('\n');
    expect(error.message).toContain('the test feed');
    expect(error.message).toContain('26 items');
  });

  it('2025-01-10 (wrapper object) throws one-line FEED naming the keys', () => {
    const error = feedError(loadFixture('2025-01-10'));
    expect(error.code).toBe('FEED');
    expect(error.message).not.toContain('\n');
    expect(error.message).toMatch(/an object with keys status, date, count, data/);
  });

  it.each([null, 'text', 42, {}])('a feed of %j is a FEED error', (raw) => {
    expect(feedError(raw).code).toBe('FEED');
  });
});

describe('normalizeFeed item by item', () => {
  it('skips an item with upvotes "many", naming index, id and field', () => {
    const items = goodItems();
    const bad = structuredClone(items[1]!);
    bad.paper.upvotes = 'many';
    const feed = normalizeFeed([items[0], bad, items[2]], '2025-10-03', 'x');
    expect(feed.papers.map((p) => p.id)).toEqual([items[0]!.paper.id, items[2]!.paper.id]);
    expect(feed.skipped).toHaveLength(1);
    expect(feed.skipped[0]).toMatchObject({ index: 1, id: bad.paper.id });
    expect(feed.skipped[0]!.reason).toContain('paper.upvotes');
    expect(describeSkipped(feed.skipped[0]!)).toMatch(new RegExp(`^item 1 \\(${bad.paper.id}\\) skipped: paper\\.upvotes`));
  });

  it('skips an item without a title, and a non-object item', () => {
    const items = goodItems();
    delete items[0]!.paper.title;
    const feed = normalizeFeed([...items, 'not a paper'], '2025-10-03', 'x');
    expect(feed.papers).toHaveLength(2);
    expect(feed.skipped).toEqual([
      { index: 0, id: '2510.02283', reason: expect.stringContaining('paper.title') },
      { index: 3, reason: 'item is a string, not a paper object' },
    ]);
  });

  it('drops a wrong-typed optional field but keeps the paper', () => {
    const [item] = goodItems();
    item!.paper.githubStars = '12';
    item!.paper.publishedAt = 12345;
    const { papers, skipped } = normalizeFeed([item], '2025-10-03', 'x');
    expect(skipped).toEqual([]);
    expect(papers[0]!.githubRepo).toBe('https://github.com/justincui03/Self-Forcing-Plus-Plus');
    expect(papers[0]!.githubStars).toBeUndefined();
    expect(papers[0]!.publishedAt).toBeUndefined();
    expect(papers[0]!.upvotes).toBe(43);
  });

  it('drops javascript: URLs in projectPage and githubRepo (and stars without a repo)', () => {
    const [item] = goodItems();
    item!.paper.projectPage = 'javascript:alert(1)';
    item!.paper.githubRepo = 'javascript:alert(document.cookie)';
    item!.thumbnail = 'javascript:alert(2)';
    const { papers, skipped } = normalizeFeed([item], '2025-10-03', 'x');
    expect(skipped).toEqual([]);
    expect(papers).toHaveLength(1);
    expect(papers[0]).not.toHaveProperty('projectPage');
    expect(papers[0]).not.toHaveProperty('githubRepo');
    expect(papers[0]).not.toHaveProperty('githubStars');
    expect(papers[0]).not.toHaveProperty('thumbnail');
  });

  it('skips a duplicate id and keeps the first', () => {
    const items = goodItems();
    const copy = structuredClone(items[0]!);
    copy.paper.upvotes = 999;
    const feed = normalizeFeed([items[0], items[1], copy], '2025-10-03', 'x');
    expect(feed.papers).toHaveLength(2);
    expect(feed.papers[0]!.upvotes).toBe(43);
    expect(feed.skipped).toEqual([{ index: 2, id: '2510.02283', reason: 'duplicate of an earlier item' }]);
  });

  it('folds control characters, CR and LF in titles to single spaces', () => {
    const [item] = goodItems();
    item!.paper.title = '  Bell\u0007Title\r\nWith\tTabs\u2028and\u0000more  ';
    item!.paper.authors = [{ name: ' Ada\nLovelace ' }, { name: '\u0001' }];
    const { papers } = normalizeFeed([item], '2025-10-03', 'x');
    expect(papers[0]!.title).toBe('Bell Title With Tabs and more');
    expect(papers[0]!.authors).toEqual(['Ada Lovelace']);
  });

  it('resolves LaTeX in titles and uses numComments, defaulting to 0', () => {
    const [item] = goodItems();
    item!.paper.title = '$τ$-bench meets LLM$\\times$MapReduce';
    delete item!.numComments;
    const { papers } = normalizeFeed([item], '2025-10-03', 'x');
    expect(papers[0]!.title).toBe('τ-bench meets LLM×MapReduce');
    expect(papers[0]!.comments).toBe(0);
  });

  it('2024 schema: takes the item title that kept its $…$ over the stripped paper.title', () => {
    const item = rawItem({ title: 'VILA^2: VILA Augmented\n  VILA' }, { title: '$VILA^2$: VILA Augmented VILA' });
    const stripped = rawItem({ id: '2401.00002', title: 'Sparse L_p Regression with 2^n Experts' }, { title: 'Sparse $L_p$ Regression with $2^n$ Experts' });
    const { papers } = normalizeFeed([item, stripped], '2025-10-03', 'x');
    expect(papers.map((p) => p.title)).toEqual(['VILA²: VILA Augmented VILA', 'Sparse Lₚ Regression with 2ⁿ Experts']);
  });

  it('2024 schema: takes the item title when paper.title lost its backslashes too', () => {
    // the real pair for 2410.09342, and one whose lost command has no fallback
    const times = rawItem(
      { title: 'LLMtimesMapReduce: Simplified Long-Sequence\n  Processing' },
      { title: 'LLM$\\times$MapReduce: Simplified Long-Sequence Processing' },
    );
    const alpha = rawItem({ id: '2401.00002', title: 'alpha-Net: mathcalB' }, { title: '$\\alpha$-Net: $\\mathcal{B}$' });
    const { papers } = normalizeFeed([times, alpha], '2024-10-14', 'x');
    expect(papers.map((p) => p.title)).toEqual(['LLM×MapReduce: Simplified Long-Sequence Processing', 'α-Net: B']);
  });

  it('resolves LaTeX in keywords', () => {
    const item = rawItem({ ai_keywords: ['PixArt-$\\alpha$', "Pok\\'eChamp"] });
    expect(normalizeFeed([item], '2025-03-17', 'x').papers[0]!.keywords).toEqual(['PixArt-α', 'PokéChamp']);
  });

  it('keeps paper.title when the item title differs by more than its dollars', () => {
    const item = rawItem({ title: 'A Study of $k$ Things' }, { title: '$k$-Things: an older title' });
    expect(normalizeFeed([item], '2025-10-03', 'x').papers[0]!.title).toBe('A Study of k Things');
  });

  it('turns bare TeX in titles and abstracts into Unicode (R^3-Bench on 2026-08-18)', () => {
    const { papers } = normalizeFeed(loadFixture('2026-08-18'), '2026-08-18', 'fixture');
    const paper = papers.find((p) => p.id === '2608.16033')!;
    expect(paper.title).toBe('R³-Bench: LLMs Struggle with Resource-Rational Reasoning under Shared Budgets');
    expect(paper.summary).toContain('We introduce R³-Bench,');
    expect(paper.aiSummary).toMatch(/^R³-Bench reveals/);
  });

  it('a feed of only bad items is a one-line FEED error naming the first reason', () => {
    const items = goodItems().map((item) => ({ ...item, paper: { ...item.paper, upvotes: -1 } }));
    const error = feedError(items);
    expect(error.code).toBe('FEED');
    expect(error.message).toContain('item 0: paper.upvotes');
    expect(error.message).not.toContain('\n');
  });
});
