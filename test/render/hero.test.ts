import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { normalizeFeed, type Paper } from '../../src/papers/index.js';
import { type CompiledTemplates, editionView, loadTemplates, renderDigest, renderWebEdition } from '../../src/render/index.js';
import { fixturesDir } from '../helpers/files.js';
import { fixturePapers, loadItems } from '../helpers/papers.js';

const links = {
  unsubscribe: 'https://news.example.org/unsubscribe?token=u-1',
  preferences: 'https://news.example.org/preferences?token=p-1',
  webVersion: 'https://news.example.org/archive/2026-08-21',
};
const tracker = 'http://tracker.example.net/p.gif?id=1';

let templates: CompiledTemplates;
beforeAll(async () => {
  templates = await loadTemplates();
});

type Newsletter = Parameters<typeof editionView>[0]['newsletter'];
const render = (papers: readonly Paper[], newsletter: Newsletter = { name: 'T' }) =>
  renderDigest(templates, editionView({ day: '2026-08-21', papers, newsletter }), { email: 'ada@example.com', links }).html;
const imageSources = (html: string) => [...html.matchAll(/<img [^>]*src="([^"]*)"/g)].map((match) => match[1]);

/** The 2026-08-21 feed as recorded, with the top paper's thumbnail replaced, read the way a send reads it. */
function feedWithTopThumbnail(thumbnail: string): Paper[] {
  const items = loadItems('2026-08-21');
  const top = items.reduce((best, item) => (item.paper.upvotes > best.paper.upvotes ? item : best));
  top.thumbnail = thumbnail;
  const papers = normalizeFeed(items, '2026-08-21', 'test').papers;
  return papers.sort((a, b) => b.upvotes - a.upvotes).slice(0, 10);
}

describe('the hero image, from the allowed hosts only', () => {
  it("shows every recorded day's top thumbnail: the feed's own host over HTTPS, allowed by default", () => {
    const days = readdirSync(fixturesDir)
      .filter((name) => /^\d{4}-\d{2}-\d{2}\.json$/.test(name))
      .map((name) => name.slice(0, 10))
      .filter((day) => !['2024-12-11', '2025-01-10'].includes(day)); // the two broken days
    const thumbnails = days.flatMap((day) => fixturePapers(day).map((paper) => paper.thumbnail));
    expect(thumbnails.length).toBeGreaterThan(200);
    expect(new Set(thumbnails.map((url) => url && new URL(url).host))).toEqual(new Set(['cdn-thumbnails.huggingface.co']));
    const papers = fixturePapers('2026-08-21').slice(0, 3);
    expect(imageSources(render(papers))).toEqual([papers[0]!.thumbnail]);
  });

  it('gives no <img> for a tracker on plain http from the feed (the case the audit found), in the mail and on the web edition', () => {
    const papers = feedWithTopThumbnail(tracker);
    const view = editionView({ day: '2026-08-21', papers, newsletter: { name: 'T' } });
    expect(view.papers[0]).not.toHaveProperty('thumbnail');
    expect(render(papers)).not.toContain('<img ');
    expect(render(papers)).not.toContain('tracker.example.net');
    expect(renderWebEdition(templates, view, { subscribe: '/', archive: '/archive', webVersion: '/archive/2026-08-21' })).not.toContain('tracker.example.net');
  });

  it('gives none for a foreign host over HTTPS, nor for the right host over plain http', () => {
    const real = fixturePapers('2026-08-21')[0]!.thumbnail!;
    for (const thumbnail of [
      'https://tracker.example.net/p.gif?id=1',
      real.replace('https://', 'http://'),
      'https://cdn-thumbnails.huggingface.co.tracker.example.net/p.gif',
    ]) {
      expect(render(feedWithTopThumbnail(thumbnail)), thumbnail).not.toContain('<img ');
    }
  });

  it('takes its allow-list from newsletter.heroImageHosts (lower-cased), still HTTPS only', () => {
    const papers = feedWithTopThumbnail('https://images.example.org/top.png');
    const config = loadConfig({ cwd: '/', env: {}, flags: { 'newsletter.heroImageHosts': ['Images.Example.org'] } });
    expect(config.newsletter.heroImageHosts).toEqual(['images.example.org']);
    expect(imageSources(render(papers, config.newsletter))).toEqual(['https://images.example.org/top.png']);
    expect(render(feedWithTopThumbnail('http://images.example.org/top.png'), config.newsletter)).not.toContain('<img ');
    // The feed's own host is no longer on that list.
    expect(render(fixturePapers('2026-08-21').slice(0, 3), config.newsletter)).not.toContain('<img ');
    expect(loadConfig({ cwd: '/', env: {} }).newsletter.heroImageHosts).toEqual(['cdn-thumbnails.huggingface.co']);
  });
});
