import { beforeAll, describe, expect, it } from 'vitest';
import type { Paper } from '../../src/papers/index.js';
import {
  type AlertsView,
  type CompiledTemplates,
  compileSources,
  editionView,
  escapeHtml,
  loadTemplates,
  mailSources,
  type PaperView,
  renderDigest,
} from '../../src/render/index.js';
import { fixturePapers } from '../helpers/papers.js';

const links = {
  unsubscribe: 'https://news.example.org/unsubscribe?token=u-1',
  preferences: 'https://news.example.org/preferences?token=p-1',
  webVersion: 'https://news.example.org/archive/2026-05-12',
};

let mail: CompiledTemplates;
beforeAll(async () => {
  mail = compileSources(mailSources((await loadTemplates()).sources));
});

/** Real papers of a busy day with every count set to `n`: upvotes, comments, stars, and `n` authors past the three named. */
const withCounts = (n: number): Paper[] =>
  fixturePapers('2026-05-12').map((paper) => ({
    ...paper,
    upvotes: n,
    comments: n,
    githubRepo: paper.githubRepo ?? `https://github.com/example/${paper.id}`,
    githubStars: n,
    authors: ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', ...Array.from({ length: n + (n === 1 ? 1 : 0) }, (_, i) => `Author ${i}`)],
  }));

/** An alert section over the first papers, with `more` matches past those shown. */
const alertsOf = (papers: readonly PaperView[], more: number): AlertsView => ({
  queries: ['benchmark'],
  label: '“benchmark”',
  papers: papers.map((paper) => ({
    ...paper,
    titleRuns: [],
    blurbRuns: [],
    titleHtml: escapeHtml(paper.title),
    blurbHtml: escapeHtml(paper.blurb),
    markedTitle: paper.title,
    matchedWords: 'benchmark',
  })),
  more,
  moreUrl: 'https://news.example.org/search?q=benchmark',
  only: false,
});

/** What a reader sees or hears: the text part, and the HTML's text with its accessible names and alt texts. */
function readable(html: string, text: string): string {
  const attributes = [...html.matchAll(/(?:aria-label|alt)="([^"]*)"/g)].map((match) => match[1]);
  const body = html
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&#\d+;/g, ' ');
  return [body, ...attributes, text].join('\n');
}

/** Every "N noun" the digest says, as [number, noun, plural ending]. */
const countsIn = (words: string) =>
  [...words.matchAll(/\b(\d[\d.]*K?)\s+(more\s+)?(upvote|comment|star|author|paper|match)(es|s)?\b/g)].map((match) => ({
    said: match[0].replace(/\s+/g, ' '),
    one: match[1] === '1',
    plural: match[4] !== undefined,
  }));

describe('every count in both parts of real digests', () => {
  it.each([0, 1, 2])('puts its noun in the right number when every count is %i', (n) => {
    const papers = withCounts(n);
    const view = editionView({ day: '2026-05-12', papers, newsletter: { name: 'Test Digest' } });
    const onTopic = view.papers.slice(0, 12);
    const digests = [
      // A busy day (cards, then compact rows), with alerts and a topic section.
      renderDigest(mail, view, {
        email: 'a@example.org',
        links,
        papers: [...onTopic, ...view.papers.slice(14)],
        onTopic: 12,
        alerts: alertsOf(view.papers.slice(12, 14), n),
      }),
      // A digest of n papers (one of one, two of two).
      ...(n > 0 ? [renderDigest(mail, view, { email: 'b@example.org', links, papers: view.papers.slice(0, n) })] : []),
    ];
    const said = digests.flatMap((digest) => countsIn(readable(digest.html, digest.text)));
    for (const count of said) expect(count.plural, count.said).toBe(!count.one);
    const phrases = new Set(said.map((count) => count.said));
    if (n === 1) for (const phrase of ['1 upvote', '1 star', '1 paper', '1 more match']) expect(phrases).toContain(phrase);
    if (n === 2) for (const phrase of ['2 upvotes', '2 comments', '2 stars', '2 more authors', '2 papers', '2 more matches']) expect(phrases).toContain(phrase);
    if (n === 0) expect(phrases).toContain('0 upvotes');
  });

  it('shows no comment count below two and no star count of zero', () => {
    for (const n of [0, 1]) {
      const view = editionView({ day: '2026-05-12', papers: withCounts(n).slice(0, 3), newsletter: { name: 'T' } });
      const digest = renderDigest(mail, view, { email: 'a@example.org', links });
      expect(readable(digest.html, digest.text)).not.toMatch(/\bcomments?\b|\b0 stars?\b/);
    }
  });

  it('shortens counts from 1,000 on without changing their noun', () => {
    const papers = withCounts(2)
      .slice(0, 1)
      .map((paper) => ({ ...paper, githubStars: 1234, upvotes: 1000 }));
    const digest = renderDigest(mail, editionView({ day: '2026-05-12', papers, newsletter: { name: 'T' } }), { email: 'a@example.org', links });
    for (const part of [digest.html, digest.text]) {
      expect(part).toContain('1.2K stars');
      expect(part).toContain('1K upvotes');
    }
  });
});
