import { describe, expect, it } from 'vitest';
import { searchWindow } from '../../src/papers/index.js';
import { fixturePapers } from '../helpers/papers.js';
import { baseUrl, expectSecurityHeaders, postForm, sharedWeb } from '../helpers/web.js';

const { web } = sharedWeb('paperboy-web-search-');

const get = (url: string) => web.app.inject({ method: 'GET', url });
const titles = (body: string) => [...body.matchAll(/<li><h2><a href="[^"]+">([^<]+)<\/a><\/h2>/g)].map((match) => match[1]!);

async function keepDays(...days: string[]) {
  for (const day of days) await web.papers.keepDay(day, 'file:test/fixtures/hf-daily-papers', fixturePapers(day));
}

describe('the search page', () => {
  it('says nothing is kept yet before any day was fetched, with the form and no error', async () => {
    const response = await get('/search?q=agents');
    expect(response.statusCode).toBe(200);
    expectSecurityHeaders(response);
    expect(response.body).toContain('<form method="get" action="/search" role="search">');
    expect(response.body).toContain('No papers are kept yet');
  });

  it('finds a hyphenated title by its words, ranked among every paper of the day, not only an edition', async () => {
    await keepDays('2026-05-12', '2026-08-17');
    const body = (await get('/search?q=mixture+of+experts')).body;
    // Both titles hold the search (SlimQwen's as MoE), the more upvoted first; DECO was the day's 31st.
    expect(titles(body).slice(0, 2)).toEqual([expect.stringMatching(/^SlimQwen:/), expect.stringMatching(/^DECO: Sparse Mixture-of-Experts/)]);
    expect(body).toContain('href="https://huggingface.co/papers/');
    expect(body).toContain('on arXiv</a>');
  });

  it('keeps to a day, a week or a month, and to the day or week an alert mail links', async () => {
    const onDay = titles((await get('/search?q=model&period=day&date=2026-08-17')).body);
    expect(onDay.length).toBeGreaterThan(0);
    const byEditionKey = titles((await get('/search?q=model&day=2026-08-17')).body);
    expect(byEditionKey).toEqual(onDay);
    const otherDay = (await get('/search?q=mixture+of+experts&period=day&date=2026-08-17')).body;
    expect(titles(otherDay)).not.toContain(titles((await get('/search?q=mixture+of+experts')).body)[0]);
    const month = titles((await get('/search?q=mixture+of+experts&period=month&date=2026-05-01')).body);
    expect(month.slice(0, 2)).toEqual([expect.stringMatching(/^SlimQwen/), expect.stringMatching(/^DECO/)]);
  });

  it('pages through many results, 20 at a time, with links that keep the search', async () => {
    const first = await get('/search?q=model');
    const total = Number(/(\d+) papers match/.exec(first.body)?.[1]);
    expect(total).toBeGreaterThan(20);
    expect(titles(first.body)).toHaveLength(20);
    expect(first.body).toContain('href="/search?q=model&amp;page=2" rel="next"');
    const second = await get('/search?q=model&page=2');
    expect(titles(second.body)).toHaveLength(Math.min(20, total - 20));
    expect(titles(second.body).filter((title) => titles(first.body).includes(title))).toEqual([]);
  });

  it('takes any text without an error: quotes, operators, markup', async () => {
    for (const q of ['"unterminated', 'NEAR(a b', 'a OR AND -', '<script>alert(1)</script>', '*', 'col:umn']) {
      const response = await get(`/search?q=${encodeURIComponent(q)}`);
      expect(response.statusCode).toBe(200);
      expect(response.body).not.toContain('<script>alert');
    }
  });

  it('"Get this search by email" ends, after the confirmation click, with a reader whose alert is that search', async () => {
    const body = (await get('/search?q=Mixture+of+Experts')).body;
    expect(body).toContain('<input type="hidden" name="alerts" value="Mixture of Experts">');
    await postForm(web.app, '/subscribe', { email: 'moe.fan@example.org', alerts: 'Mixture of Experts', frequency: 'alerts' });
    const pending = await web.find('moe.fan@example.org');
    expect(pending).toMatchObject({ status: 'pending', preferences: { frequency: 'alerts', alerts: ['Mixture of Experts'] } });
    const mail = web.sent.find((message) => message.to === 'moe.fan@example.org')!;
    const token = new RegExp(`${baseUrl.replace(/\./g, '\\.')}/confirm\\?token=([A-Za-z0-9._-]+)`).exec(mail.text)![1]!;
    expect((await postForm(web.app, '/confirm', { token })).statusCode).toBe(200);
    expect(await web.find('moe.fan@example.org')).toMatchObject({ status: 'active', preferences: { frequency: 'alerts', alerts: ['Mixture of Experts'] } });
  });

  it(`says when more papers match than a search ranks, and from which day the newest ${searchWindow} are`, async () => {
    for (const day of ['2026-01-01', '2026-01-02', '2026-01-03']) {
      const papers = Array.from({ length: 200 }, (_, index) => ({
        id: `2601.${day.slice(8)}${String(index).padStart(3, '0')}`,
        day,
        title: 'Zebrafish larvae under a microscope',
        summary: 'We film them swimming.',
        authors: ['A. Author'],
        upvotes: 1,
        comments: 0,
        keywords: [],
      }));
      await web.papers.keepDay(day, 'file:test/fixtures/hf-daily-papers', papers);
    }
    const body = (await get('/search?q=zebrafish')).body;
    expect(body).toContain('More than 500 papers match “zebrafish” on every day: the newest 500, from 2026-01-01 on, most relevant first.');
    expect(body).toContain('Page 1 of 25');
    expect((await get('/search?q=zebrafish&period=day&date=2026-01-02')).body).toContain('200 papers match “zebrafish”');
  });
});
