import type { AddressInfo } from 'node:net';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, findChromium } from '../../src/cli/screenshot.js';
import { seriousViolations } from '../helpers/axe.js';
import { fixturePapers } from '../helpers/papers.js';
import { openWeb, type WebWorld } from '../helpers/web.js';
import { tempDir } from '../helpers/files.js';

const dir = tempDir('paperboy-search-a11y-');
let web: WebWorld;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  web = await openWeb(dir.path, {}, { noRateLimit: true });
  for (const day of ['2026-05-12', '2026-08-17']) await web.papers.keepDay(day, 'test', fixturePapers(day));
  await web.app.listen({ port: 0, host: '127.0.0.1' });
  origin = `http://127.0.0.1:${(web.app.server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: chromiumArgs });
});

afterAll(async () => {
  try {
    await browser?.close();
  } finally {
    await web?.close();
    dir.remove();
  }
});

describe('the search page in Chromium', () => {
  for (const [name, colorScheme, width] of [
    ['light, 1280 px', 'light', 1280],
    ['dark, 375 px', 'dark', 375],
  ] as const) {
    it(`has no serious accessibility violations (axe), ${name}, and works without JavaScript`, async () => {
      const context = await browser.newContext({ colorScheme, viewport: { width, height: 900 }, javaScriptEnabled: false });
      try {
        const page = await context.newPage();
        await page.goto(`${origin}/search`);
        await page.fill('#q', 'mixture of experts');
        await page.click('button[type=submit]');
        await page.waitForURL(/\/search\?q=mixture\+of\+experts/);
        expect(await page.locator('ol.results h2').first().textContent()).toMatch(/^DECO/);
        // axe runs as a script: a second page of the same URL with JavaScript on and our CSP set aside for it (the page itself uses none).
        const checked = await browser.newContext({ colorScheme, viewport: { width, height: 900 }, bypassCSP: true });
        try {
          const axePage = await checked.newPage();
          await axePage.goto(page.url());
          expect(await seriousViolations(axePage)).toEqual([]);
        } finally {
          await checked.close();
        }
      } finally {
        await context.close();
      }
    });
  }
});
