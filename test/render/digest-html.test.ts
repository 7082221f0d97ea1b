import { beforeAll, describe, expect, it } from 'vitest';
import { normalizeFeed, type Paper } from '../../src/papers/index.js';
import { type CompiledTemplates, editionView, loadTemplates, renderDigest, renderWebEdition } from '../../src/render/index.js';
import { fixturePapers, rawItem } from '../helpers/papers.js';

const links = {
  unsubscribe: 'https://news.example.org/unsubscribe?token=u-1',
  preferences: 'https://news.example.org/preferences?token=p-1',
  webVersion: 'https://news.example.org/archive/2026-08-21',
};

let templates: CompiledTemplates;
beforeAll(async () => {
  templates = await loadTemplates();
});

const view = (papers: readonly Paper[], newsletter: { name: string; heroImage?: boolean; postalAddress?: string } = { name: 'Test Digest' }) =>
  editionView({ day: '2026-08-21', papers, newsletter });
const render = (papers: readonly Paper[] = fixturePapers('2026-08-21').slice(0, 10), newsletter?: Parameters<typeof view>[1]) =>
  renderDigest(templates, view(papers, newsletter), { email: 'ada@example.com', name: 'Ada Lovelace', links });

describe('structure a screen reader can move through', () => {
  it('has the newsletter name as the one h1 and each paper title as an h2', () => {
    const papers = fixturePapers('2026-08-21').slice(0, 10);
    const { html } = render(papers);
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    expect(html).toMatch(/<h1[^>]*>Test Digest<\/h1>/);
    const headings = [...html.matchAll(/<h2[^>]*><a href="([^"]+)"[^>]*>([^<]+)<\/a><\/h2>/g)];
    expect(headings.map((match) => match[1])).toEqual(papers.map((paper) => `https://huggingface.co/papers/${paper.id}`));
  });

  it('hides the ▲ and ★ glyphs from screen readers and keeps words for them', () => {
    const { html } = render();
    const glyphs = [...html.matchAll(/&#9650;|&#9733;|▲|★/g)];
    expect(glyphs.length).toBeGreaterThan(10);
    for (const glyph of glyphs) expect(html.slice(glyph.index! - 25, glyph.index)).toBe('<span aria-hidden="true">');
    expect(html).toMatch(/<span aria-hidden="true">&#9650;<\/span> 163 upvotes/);
    expect(html).toContain('aria-label="Code 8 stars: EnvHarness: Awakening Static Worlds for Agent Learning"');
  });

  it('gives every link in the paper cards a name of its own', () => {
    const { html } = render();
    const names = [...html.matchAll(/<a href="[^"]+" aria-label="([^"]+)"/g)].map((match) => match[1]);
    expect(names.length).toBeGreaterThan(20);
    expect(new Set(names).size).toBe(names.length);
  });

  it('sets metadata and footer text at 14 px or more', () => {
    const { html } = render();
    const sizes = [...html.matchAll(/font-size:(\d+)px/g)].map((match) => Number(match[1])).filter((size) => size > 1);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(14);
  });
});

describe('words', () => {
  const single = normalizeFeed([rawItem({ id: '2608.00001', title: 'One of each', upvotes: 1 }, { numComments: 1 })], '2026-08-21', 't').papers;

  it('says "1 upvote" in both parts, and leaves out a count of one comment', () => {
    const { html, text } = render(single);
    for (const part of [html, text]) {
      expect(part).toContain('1 upvote');
      expect(part).not.toMatch(/\b1 (upvotes|comments?|papers)\b/);
    }
    expect(html).toContain('1 paper');
  });

  it('puts the top paper first in the subject, with the newsletter date after it', () => {
    const papers = fixturePapers('2026-08-21').slice(0, 10);
    const { subject } = render(papers);
    expect(subject.startsWith(papers[0]!.title)).toBe(true);
    expect(subject).toBe(`${papers[0]!.title} + 9 more · 21 Aug 2026`);
  });

  it('cuts a very long top title so the subject stays short', () => {
    const long = normalizeFeed([rawItem({ title: `${'Very long words '.repeat(20)}end` })], '2026-08-21', 't').papers;
    const { subject } = render(long);
    expect(subject.length).toBeLessThanOrEqual(100);
    expect(subject).toMatch(/^Very long words .*… · 21 Aug 2026$/);
  });
});

describe('the inbox preview', () => {
  it('is hidden without a colour trick and followed by invisible filler', () => {
    const { html, preheader } = render();
    const block = /<div class="preheader" style="([^"]+)">([\s\S]*?)<\/div><\/div>/.exec(html);
    expect(block).not.toBeNull();
    expect(block![1]).not.toMatch(/color/);
    expect(block![1]).toContain('display:none');
    const [, , content = ''] = block!;
    expect(content.startsWith(preheader.replace(/'/g, '&#x27;'))).toBe(true);
    expect((content.match(/&zwnj;/g) ?? []).length).toBeGreaterThan(30);
  });

  it('does not repeat the subject: it names the next paper', () => {
    const papers = fixturePapers('2026-08-21').slice(0, 10);
    const { preheader } = render(papers);
    expect(preheader).toBe(`9 more papers, led by ${papers[1]!.title}.`);
  });
});

describe('markup Outlook for Windows lays out', () => {
  it('spaces with table cells, never with padded divs or thick borders', () => {
    const { html } = render();
    for (const div of html.match(/<div[^>]*style="[^"]*"/g) ?? []) expect(div).not.toMatch(/padding/);
    for (const border of html.matchAll(/border(-\w+)?:(\d+)px/g)) expect(Number(border[2])).toBeLessThanOrEqual(8);
  });

  it('rounds every corner of every card', () => {
    const { html } = render();
    const cards = html.match(/<td\s+style="background-color:#ffffff;border-radius:8px;[^"]*padding:20px 0;"/g) ?? [];
    expect(cards).toHaveLength(10);
  });

  it('carries the meta tags that stop iOS reformatting and auto-linking', () => {
    const { html } = render();
    expect(html).toContain('<meta name="x-apple-disable-message-reformatting">');
    expect(html).toMatch(/<meta name="format-detection" content="telephone=no/);
  });
});

describe('dark mode', () => {
  it('keeps metadata muted: no rule for body text also matches it', () => {
    const { html } = render();
    const dark = /@media \(prefers-color-scheme: dark\) \{([\s\S]*?)\n\}/.exec(html)![1]!;
    expect(dark).toMatch(/\.meta div[^{]*\{ color: #9198a1 !important; \}/);
    // The rule for body text names its own classes, not every div of a card.
    expect(dark).not.toMatch(/\.card div/);
  });
});

describe('the hero image', () => {
  it('shows the top paper thumbnail with a fixed size and alt text', () => {
    const papers = fixturePapers('2026-08-21').slice(0, 3);
    const { html } = render(papers);
    const img = /<img src="([^"]+)" width="(\d+)" height="(\d+)" alt="([^"]+)"/.exec(html);
    expect(img![1]).toBe(papers[0]!.thumbnail);
    expect(Number(img![2])).toBeGreaterThan(300);
    expect(Number(img![3])).toBeGreaterThan(150);
    expect(img![4]).toContain(papers[0]!.title);
    expect(html.match(/<img /g)).toHaveLength(1);
  });

  it('is off with newsletter.heroImage false, and absent when the top paper has no thumbnail', () => {
    const papers = fixturePapers('2026-08-21').slice(0, 3);
    expect(render(papers, { name: 'T', heroImage: false }).html).not.toContain('<img ');
    const { thumbnail: _, ...bare } = papers[0]!;
    expect(render([bare, ...papers.slice(1)]).html).not.toContain('<img ');
  });
});

describe('the footer', () => {
  it('names the sender with the postal address when one is set', () => {
    expect(render(undefined, { name: 'T', postalAddress: '1 Main St, Springfield' })).toMatchObject({
      html: expect.stringContaining('Sent by T, 1 Main St, Springfield'),
      text: expect.stringContaining('Sent by T, 1 Main St, Springfield'),
    });
    expect(render().html).not.toContain('Sent by');
  });
});

describe('the web edition (archive page)', () => {
  const web = () =>
    renderWebEdition(templates, view(fixturePapers('2026-08-21').slice(0, 10)), {
      subscribe: 'https://news.example.org/',
      archive: 'https://news.example.org/archive',
      webVersion: 'https://news.example.org/archive/2026-08-21',
    });

  it("does not call a past edition today's, and links to subscribing and all editions", () => {
    const html = web();
    expect(html).not.toMatch(/today/i);
    expect(html).toMatch(/<a href="https:\/\/news\.example\.org\/"[^>]*>Subscribe<\/a>/);
    expect(html).toMatch(/<a href="https:\/\/news\.example\.org\/archive"[^>]*>All editions<\/a>/);
    expect(html).not.toMatch(/unsubscribe|preferences/i);
  });
});
