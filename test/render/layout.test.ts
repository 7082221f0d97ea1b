import { beforeAll, describe, expect, it } from 'vitest';
import type { Paper } from '../../src/papers/index.js';
import {
  type CompiledTemplates,
  type DigestLayout,
  editionView,
  fitLayout,
  gmailClipBytes,
  htmlBudgetBytes,
  loadTemplates,
  type PaperView,
  renderDigest,
} from '../../src/render/index.js';
import { fixturePapers } from '../helpers/papers.js';

const links = {
  unsubscribe: 'https://news.example.org/unsubscribe?token=1.0.abcdefghijklmnopqrstuvwx',
  preferences: 'https://news.example.org/preferences?token=1.0.abcdefghijklmnopqrstuvwx',
  webVersion: 'https://news.example.org/archive/2026-05-12',
};

let templates: CompiledTemplates;
beforeAll(async () => {
  templates = await loadTemplates();
});

describe('fitLayout', () => {
  const papers = Array.from({ length: 10 }, (_, index) => ({ rank: index + 1 }) as PaperView);
  // A frame of 100 bytes, 50 per card, 10 per compact row, 5 for the "N more" line.
  const measure = (layout: DigestLayout) => 100 + layout.cards.length * 50 + layout.compact.length * 10 + (layout.omitted ? 5 : 0);
  const shape = (layout: DigestLayout) => [layout.cards.length, layout.compact.length, layout.omitted];

  it('keeps every paper a card when they all fit', () => {
    expect(shape(fitLayout(papers, measure, 600))).toEqual([10, 0, 0]);
  });

  it('turns the papers past the budget into compact rows, as many cards as fit', () => {
    // k cards and 10 - k rows: 100 + 50k + 10(10 - k) <= 400 → k <= 5
    const layout = fitLayout(papers, measure, 400);
    expect(shape(layout)).toEqual([5, 5, 0]);
    expect(layout.cards.map((paper) => paper.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(layout.compact.map((paper) => paper.rank)).toEqual([6, 7, 8, 9, 10]);
  });

  it('counts the rest when not even compact rows all fit', () => {
    // m rows and a count: 100 + 10m + 5 <= 160 → m <= 5
    expect(shape(fitLayout(papers, measure, 160))).toEqual([0, 5, 5]);
  });

  it('never returns a layout it did not measure within budget', () => {
    const measured: [DigestLayout, number][] = [];
    const uneven = (layout: DigestLayout) => {
      const bytes = 100 + layout.cards.reduce((sum, paper) => sum + paper.rank * 13, 0) + layout.compact.length * 9;
      measured.push([layout, bytes]);
      return bytes;
    };
    for (const budget of [150, 300, 450, 700, 900]) {
      const layout = fitLayout(papers, uneven, budget);
      expect(measured.some(([candidate, bytes]) => shape(candidate).join() === shape(layout).join() && bytes <= budget)).toBe(true);
    }
  });

  it('measures a handful of layouts, not one per paper', () => {
    const many = Array.from({ length: 100 }, (_, index) => ({ rank: index + 1 }) as PaperView);
    let calls = 0;
    fitLayout(
      many,
      (layout) => {
        calls++;
        return measure(layout);
      },
      2000,
    );
    expect(calls).toBeLessThanOrEqual(10);
  });
});

/** Many long papers: far more than any digest can show as cards. */
function bulkyPapers(count: number): Paper[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `2605.${String(10000 + index)}`,
    title: `A remarkably long paper title number ${index} about ${'scaling laws and agents '.repeat(6).trim()}`,
    summary: 'An abstract. '.repeat(40),
    aiSummary: `A summary of paper ${index}: ${'it does several things well. '.repeat(10).trim()}`,
    authors: ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Edsger Dijkstra', 'Barbara Liskov'],
    upvotes: 1000 - index,
    comments: index % 3,
    day: '2026-05-12',
    organization: 'Mohamed Bin Zayed University of Artificial Intelligence',
    githubRepo: `https://github.com/example/repository-with-a-long-name-${index}`,
    githubStars: 1234,
    projectPage: `https://example.org/projects/paper-${index}/`,
    keywords: [],
  }));
}

describe('the digest under the HTML budget', () => {
  const render = (papers: readonly Paper[], recipient = { email: 'reader@example.org', name: 'Grace' }) =>
    renderDigest(templates, editionView({ day: '2026-05-12', papers, newsletter: { name: 'Test Digest' } }), { ...recipient, links });

  it('shows a busy day of 50 papers as cards, then compact rows, under the budget, footer included', () => {
    const papers = fixturePapers('2026-05-12');
    expect(papers).toHaveLength(50);
    const digest = render(papers);
    expect(Buffer.byteLength(digest.html)).toBeLessThanOrEqual(htmlBudgetBytes);
    expect(digest.layout.cards.length).toBeGreaterThan(10);
    expect(digest.layout.cards.length + digest.layout.compact.length).toBe(50);
    expect(digest.html).toContain('More papers today');
    for (const paper of digest.layout.compact) expect(digest.html).toContain(`href="https://huggingface.co/papers/${paper.id}"`);
    expect(digest.html).toContain(`href="${links.unsubscribe.replace(/=/g, '&#x3D;')}"`);
    expect(digest.text).toContain(links.unsubscribe);
  });

  it('counts what does not fit at all and links to the web edition', () => {
    const digest = render(bulkyPapers(400));
    const { layout } = digest;
    expect(layout.omitted).toBeGreaterThan(0);
    expect(layout.cards.length + layout.compact.length + layout.omitted).toBe(400);
    expect(Buffer.byteLength(digest.html)).toBeLessThanOrEqual(htmlBudgetBytes);
    expect(digest.html).toContain(`>${layout.omitted} more papers in the web edition</a>`);
    expect(digest.text).toContain(`${layout.omitted} more papers in the web edition:\r\n${links.webVersion}`.replace(/\r/g, ''));
    expect(digest.html).toContain(`href="${links.preferences.replace(/=/g, '&#x3D;')}"`);
  });

  it('keeps the largest possible recipient under the clip size too', () => {
    const huge = { email: `${"'".repeat(64)}@${'d'.repeat(185)}.org`, name: '"&<>'.repeat(50) };
    for (const papers of [fixturePapers('2026-05-12'), bulkyPapers(120)]) {
      expect(Buffer.byteLength(render(papers, huge).html)).toBeLessThanOrEqual(gmailClipBytes);
    }
  });

  it('lays out one paper list once and shares it between recipients', () => {
    const view = editionView({ day: '2026-05-12', papers: fixturePapers('2026-05-12'), newsletter: { name: 'T' } });
    const a = renderDigest(templates, view, { email: 'a@example.org', links });
    const b = renderDigest(templates, view, { email: 'b@example.org', name: 'Bea', links });
    expect(b.layout).toBe(a.layout);
  });
});
