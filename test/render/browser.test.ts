import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, findChromium } from '../../src/cli/screenshot.js';
import { editionView, loadTemplates, renderDigest } from '../../src/render/index.js';
import { fixturePapers } from '../helpers/papers.js';

const links = {
  unsubscribe: 'https://news.example.org/unsubscribe?token=u-1',
  preferences: 'https://news.example.org/preferences?token=p-1',
  webVersion: 'https://news.example.org/archive/2026-05-12',
};
let browser: Browser;
let html: string;

beforeAll(async () => {
  // A busy day: cards, compact rows and the footer, all in one page.
  const view = editionView({ day: '2026-05-12', papers: fixturePapers('2026-05-12'), newsletter: { name: 'Paperboy Daily Papers' } });
  html = renderDigest(await loadTemplates(), view, { email: 'ada@example.com', name: 'Ada Lovelace', links }).html;
  browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: chromiumArgs });
});
afterAll(async () => {
  await browser?.close();
});

async function open(width: number, colorScheme: 'light' | 'dark'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 800 }, colorScheme });
  // Offline: the thumbnail is not fetched; its box keeps its size from width and height.
  await page.route(/^https?:/, (route) => route.abort());
  await page.setContent(html, { waitUntil: 'load' });
  return page;
}

describe('the digest on a 375 px phone', () => {
  it('gives every link a tap target at least 24 px tall (WCAG 2.2)', async () => {
    const page = await open(375, 'light');
    const small = await page.evaluate<{ text: string; height: number }[]>(`
      [...document.querySelectorAll('body a')]
        .map((anchor) => ({ text: anchor.textContent.trim(), height: anchor.getBoundingClientRect().height }))
        .filter((target) => target.height < 24)`);
    await page.close();
    expect(small).toEqual([]);
  });

  it('sets no visible text below 14 px', async () => {
    const page = await open(375, 'light');
    const sizes = await page.evaluate<number[]>(`(() => {
      const found = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!node.textContent.trim() || parent.closest('.preheader') || !parent.getClientRects().length) continue;
        found.push(Number.parseFloat(getComputedStyle(parent).fontSize));
      }
      return found;
    })()`);
    await page.close();
    expect(sizes.length).toBeGreaterThan(100);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(14);
  });
});

describe('the digest in dark mode', () => {
  it('keeps metadata muted and body text bright, on dark cards with four round corners', async () => {
    const page = await open(600, 'dark');
    const look = await page.evaluate<{ meta: string; text: string; title: string; card: string; corners: string[] }>(`(() => {
      const color = (selector) => getComputedStyle(document.querySelector(selector)).color;
      const style = getComputedStyle(document.querySelector('.card td'));
      return {
        meta: color('.card .meta div'),
        text: color('.card .text div'),
        title: color('.card .title a'),
        card: style.backgroundColor,
        corners: [style.borderTopLeftRadius, style.borderTopRightRadius, style.borderBottomRightRadius, style.borderBottomLeftRadius],
      };
    })()`);
    await page.close();
    expect(look.meta).toBe('rgb(145, 152, 161)');
    expect(look.text).toBe('rgb(230, 237, 243)');
    expect(look.title).toBe('rgb(230, 237, 243)');
    expect(look.card).toBe('rgb(22, 27, 34)');
    expect(look.corners).toEqual(['8px', '8px', '8px', '8px']);
  });

  it('keeps white cards and grey metadata in light mode', async () => {
    const page = await open(600, 'light');
    const card = await page.evaluate<string>(`getComputedStyle(document.querySelector('.card td')).backgroundColor`);
    const meta = await page.evaluate<string>(`getComputedStyle(document.querySelector('.card .meta div')).color`);
    await page.close();
    expect(card).toBe('rgb(255, 255, 255)');
    expect(meta).toBe('rgb(89, 99, 110)');
  });
});
