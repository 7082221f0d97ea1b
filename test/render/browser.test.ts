import { createRequire } from 'node:module';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, findChromium } from '../../src/cli/screenshot.js';
import { Personalizer } from '../../src/delivery/personal.js';
import { editionView, loadTemplates, renderDigest } from '../../src/render/index.js';
import { fixturePapers } from '../helpers/papers.js';

// axe-core's engine as a script to put into the page (its package ships it as one file).
const axeSource: string = createRequire(import.meta.url)('axe-core').source;

const links = {
  unsubscribe: 'https://news.example.org/unsubscribe?token=u-1',
  preferences: 'https://news.example.org/preferences?token=p-1',
  webVersion: 'https://news.example.org/archive/2026-05-12',
};
let browser: Browser;
/** A busy day: cards, compact rows and the footer, all in one page. */
let busy: string;
/** The ten papers of 2026-08-21, as the docs' screenshots show them. */
let tenPapers: string;
/** A reader with topics and alerts: alert cards with "N more matches", "On your topics", then the rest. */
let personal: string;

beforeAll(async () => {
  const templates = await loadTemplates();
  const newsletter = { name: 'Paperboy Daily Papers' };
  const reader = { email: 'ada@example.com', name: 'Ada Lovelace', links };
  busy = renderDigest(templates, editionView({ day: '2026-05-12', papers: fixturePapers('2026-05-12'), newsletter }), reader).html;
  tenPapers = renderDigest(templates, editionView({ day: '2026-08-21', papers: fixturePapers('2026-08-21').slice(0, 10), newsletter }), reader).html;
  const day = fixturePapers('2026-05-12');
  const edition = editionView({ day: '2026-05-12', papers: day.slice(0, 10), newsletter });
  const searched = { papers: day, views: editionView({ day: '2026-05-12', papers: day, newsletter }).papers };
  const mine = new Personalizer(day.slice(0, 10), edition.papers, () => 'https://news.example.org/search?q=model', searched).personalize({
    topics: ['agent', 'video'],
    alerts: ['model'],
  });
  expect(mine.alerts!.more).toBeGreaterThan(0);
  expect(mine.onTopic).toBeGreaterThan(0);
  personal = renderDigest(templates, edition, { ...reader, papers: mine.papers!, onTopic: mine.onTopic!, alerts: mine.alerts! }).html;
  browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: chromiumArgs });
});
afterAll(async () => {
  await browser?.close();
});

async function open(width: number, colorScheme: 'light' | 'dark', html = busy): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 800 }, colorScheme });
  // Offline: the thumbnail is not fetched; its box keeps its size from width and height.
  await page.route(/^https?:/, (route) => route.abort());
  await page.setContent(html, { waitUntil: 'load' });
  return page;
}

/** The links shorter than a 24 px tap target (WCAG 2.2). */
const smallLinks = (page: Page) =>
  page.evaluate<{ text: string; height: number }[]>(`
    [...document.querySelectorAll('body a')]
      .map((anchor) => ({ text: anchor.textContent.trim(), height: anchor.getBoundingClientRect().height }))
      .filter((target) => target.height < 24)`);

describe('the digest on a 375 px phone', () => {
  it('gives every link a tap target at least 24 px tall (WCAG 2.2)', async () => {
    const page = await open(375, 'light');
    const small = await smallLinks(page);
    await page.close();
    expect(small).toEqual([]);
  });

  it('keeps every link 24 px tall without the <style> block, as Gmail shows mail of other accounts', async () => {
    for (const html of [busy, personal]) {
      const bare = html.replace(/<style[^>]*>[\s\S]*?<\/style>/g, '');
      expect(bare).not.toContain('<style');
      const page = await open(375, 'light', bare);
      const count = await page.evaluate<number>(`document.querySelectorAll('body a').length`);
      const small = await smallLinks(page);
      await page.close();
      expect(count).toBeGreaterThan(30);
      expect(small).toEqual([]);
    }
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

const looks = [
  [375, 'light'],
  [375, 'dark'],
  [600, 'light'],
  [600, 'dark'],
] as const;

describe('a paper card', () => {
  it.each(looks)('shows its keywords, the AI-summary mark and the author count at %i px, %s', async (width, colorScheme) => {
    const page = await open(width, colorScheme, tenPapers);
    const card = await page.evaluate<{ tags: string[]; inside: boolean; mark: string; authors: string }>(`(() => {
      const card = document.querySelector('.card');
      const box = card.getBoundingClientRect();
      const tags = [...card.querySelectorAll('.tags [role=listitem]')];
      const shown = (element) => element.getClientRects().length > 0 && getComputedStyle(element).visibility !== 'hidden';
      return {
        tags: tags.filter(shown).map((tag) => tag.textContent),
        inside: tags.every((tag) => [...tag.getClientRects()].every((rect) => rect.left >= box.left && rect.right <= box.right)),
        mark: [...card.querySelectorAll('.text .mark')].filter(shown).map((mark) => mark.textContent).join(),
        authors: card.querySelector('.meta div').textContent,
      };
    })()`);
    await page.close();
    expect(card.tags).toEqual(['LLM agents', 'Environment Harness', 'EnvHarness', 'EnvRigger', 'black-box policy']);
    expect(card.inside).toBe(true);
    expect(card.mark).toBe('AI summary:');
    expect(card.authors).toContain('Chengsong Huang, Zifeng Wang, Rujun Han and 14 more authors');
  });
});

describe('accessibility (axe in Chromium)', () => {
  /** Serious and critical violations, with WCAG 2.5.3 "label in name" on (axe keeps it experimental). */
  async function seriousViolations(html: string, width: number, colorScheme: 'light' | 'dark') {
    const page = await open(width, colorScheme, html);
    await page.addScriptTag({ content: axeSource });
    const violations = await page.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run(options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
      const result = await axe.run({ rules: { 'label-content-name-mismatch': { enabled: true } } });
      return result.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        nodes: violation.nodes.map((node) => node.html.slice(0, 160)),
      }));
    });
    await page.close();
    return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  }

  it.each(looks)('finds no serious violation in a 10-paper digest at %i px, %s', async (width, colorScheme) => {
    expect(await seriousViolations(tenPapers, width, colorScheme)).toEqual([]);
  });

  it.each([looks[0], looks[3]])('finds none in a digest with alerts and topic sections at %i px, %s', async (width, colorScheme) => {
    expect(await seriousViolations(personal, width, colorScheme)).toEqual([]);
  });

  it('gives every card link an accessible name that starts with its visible text', () => {
    const named = [...tenPapers.matchAll(/<a [^>]*aria-label="([^"]+)"[^>]*>([\s\S]*?)<\/a>/g)];
    expect(named.length).toBeGreaterThan(20);
    for (const [, label, content] of named) {
      const visible = content!
        .replace(/<span aria-hidden="true">[^<]*<\/span>/g, '')
        .replace(/<[^>]+>|&nbsp;/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
      expect(label!.startsWith(visible), `${visible} / ${label}`).toBe(true);
    }
  });
});

interface AxeViolation {
  id: string;
  impact: string;
  nodes: { html: string }[];
}
