import type { AddressInfo } from 'node:net';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, findChromium } from '../../src/cli/screenshot.js';
import { seriousViolations } from '../helpers/axe.js';
import { fixturePapers } from '../helpers/papers.js';
import { addPeople } from '../helpers/delivery.js';
import { baseUrl, openWeb, postForm, type WebWorld } from '../helpers/web.js';
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

/** The serious or critical axe violations of the page at `url`, in a context with JavaScript on and our CSP set aside for axe's script (the pages use none). */
async function seriousViolationsAt(url: string, colorScheme: 'light' | 'dark', width: number) {
  const checked = await browser.newContext({ colorScheme, viewport: { width, height: 900 }, bypassCSP: true });
  try {
    const axePage = await checked.newPage();
    await axePage.goto(url);
    return await seriousViolations(axePage);
  } finally {
    await checked.close();
  }
}

const looks = [
  ['light, 1280 px', 'light', 1280],
  ['dark, 375 px', 'dark', 375],
] as const;

describe('the search page in Chromium', () => {
  for (const [name, colorScheme, width] of looks) {
    it(`has no serious accessibility violations (axe), ${name}, and works without JavaScript`, async () => {
      const context = await browser.newContext({ colorScheme, viewport: { width, height: 900 }, javaScriptEnabled: false });
      try {
        const page = await context.newPage();
        await page.goto(`${origin}/search`);
        await page.fill('#q', 'mixture of experts');
        await page.click('button[type=submit]');
        await page.waitForURL(/\/search\?q=mixture\+of\+experts/);
        expect(await page.locator('ol.results h2').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^DECO/)]));
        expect(await seriousViolationsAt(page.url(), colorScheme, width)).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});

describe('the preferences page with a search proposed from the search page', () => {
  let path: string;
  beforeAll(async () => {
    const [id] = await addPeople(web.world, [{ email: 'full.reader@example.org' }]);
    await web.world.subscribers.setPreferences(id!, { topics: [], alerts: ['agent', 'diffusion', 'protein folding', 'RAG', 'robots'] });
    await postForm(web.app, '/subscribe', { email: 'full.reader@example.org', alerts: 'Mixture of Experts', frequency: 'alerts' });
    const mail = web.sent.find((message) => message.envelope.to === 'full.reader@example.org')!;
    path = /\S+\/preferences\?\S+/.exec(mail.text)![0].slice(baseUrl.length);
  });

  for (const [name, colorScheme, width] of looks) {
    it(`has no serious accessibility violations (axe) with the choice of which alert to replace, ${name}`, async () => {
      expect((await web.app.inject({ method: 'GET', url: path })).body).toContain('<legend>Add “Mixture of Experts” in place of</legend>');
      expect(await seriousViolationsAt(`${origin}${path}`, colorScheme, width)).toEqual([]);
    });
  }
});
