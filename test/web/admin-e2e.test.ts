/**
 * The admin dashboard in real Chromium, on a real `paperboy serve` over a store whose three
 * editions went out through the outbox: sign in with a password, open every page, see each chart
 * drawn from its data (under the admin CSP: our scripts only), compare the numbers with
 * `paperboy editions show --json`, apply the report waiting for review, bring a reader back, sign
 * out; axe on every page in light and dark, and no page wider than a 375 px screen.
 */
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, findChromium } from '../../src/cli/screenshot.js';
import {
  type AdminWorld,
  adminWorldDays,
  adminWorldEnv,
  bouncedReader,
  complainingReader,
  type EditionShown,
  leavingReader,
  openAdminWorld,
  signInInBrowser,
} from '../helpers/admin-world.js';
import { seriousViolations } from '../helpers/axe.js';
import { runCli, tempDir } from '../helpers/cli.js';

const dir = tempDir('paperboy-admin-e2e-');
let world: AdminWorld;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** Console errors of every page (a script the CSP refused would say so here). */
const consoleErrors: string[] = [];

beforeAll(async () => {
  world = await openAdminWorld(dir.path);
  browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: chromiumArgs });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Chromium asks every site for /favicon.ico; paperboy has none (on any page), so that 404 is not a refusal.
  context.on('console', (message) => {
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) consoleErrors.push(`${message.text()} ${message.location().url}`);
  });
  page = await signInInBrowser(context, world.address);
}, 180_000);

afterAll(async () => {
  try {
    await browser?.close();
  } finally {
    await world?.close();
    dir.remove();
  }
});

/** For each chart of the page, once drawn: the data marks its SVG has, and how many its data island asks for. */
async function chartMarks(on: Page): Promise<{ id: string; drawn: number; expected: number }[]> {
  await expect.poll(() => on.locator('figure.chart:not([data-drawn="true"])').count()).toBe(0);
  const charts: { id: string; drawn: number; expected: number }[] = [];
  for (const figure of await on.locator('figure.chart').all()) {
    const id = (await figure.getAttribute('id'))!;
    const spec = JSON.parse((await on.locator(`script#${id}-data`).textContent())!);
    const marks = (label: string, element: string) => figure.locator(`.plot svg g[aria-label="${label}"] > ${element}`).count();
    if (spec.kind === 'lines') charts.push({ id, drawn: await marks('line', 'path'), expected: spec.series.length });
    else if (spec.kind === 'flows') charts.push({ id, drawn: await marks('rect', 'rect'), expected: spec.days.length * 2 });
    else charts.push({ id, drawn: await marks('bar', 'rect'), expected: spec.bars.length });
  }
  return charts;
}

/** The cells of each body row of the table with this caption. */
async function tableRows(on: Page, caption: string): Promise<string[][]> {
  const rows = on.locator('table', { has: on.locator('caption', { hasText: caption }) }).locator('tbody tr');
  return Promise.all((await rows.all()).map(async (row) => (await row.locator('td').allTextContents()).map((text) => text.trim())));
}

/** A definition list's terms and their values, as the page shows them. */
async function definitions(on: Page, selector: string): Promise<Record<string, string>> {
  const pairs = await Promise.all(
    (await on.locator(`${selector} > div`).all()).map(async (item) => [await item.locator('dt').textContent(), await item.locator('dd').textContent()]),
  );
  return Object.fromEntries(pairs);
}

const editionFigures = (shown: EditionShown) => [
  shown.counts.sent,
  shown.counts.failed,
  shown.counts.retry,
  shown.counts.pending + shown.counts.sending,
  shown.counts.skipped,
  shown.feedback.bounces,
  shown.feedback.complaints,
];
const asNumber = (text: string) => Number(text.replace(/,/g, ''));

async function expectOverviewMatchesCli(): Promise<void> {
  await page.goto(`${world.address}/admin`);
  const rows = await tableRows(page, 'The last editions, newest first');
  expect(rows.map((row) => row[0])).toEqual([...adminWorldDays].reverse());
  for (const row of rows) expect(row.slice(2, 9).map(asNumber), row[0]).toEqual(editionFigures(await world.editionShow(row[0]!)));
}

describe('the admin dashboard in Chromium', () => {
  it('draws every chart of the overview from its data, with numbers that match editions show', async () => {
    const charts = await chartMarks(page);
    expect(charts.map((chart) => chart.id)).toEqual(['readers-by-status', 'readers-joined-lost', 'complaint-rates']);
    for (const chart of charts) {
      expect(chart.drawn, chart.id).toBe(chart.expected);
      expect(chart.expected, chart.id).toBeGreaterThan(0);
    }
    await expectOverviewMatchesCli();
    expect(await definitions(page, 'section[aria-labelledby="readers-now"] .stats')).toEqual({
      active: '10',
      pending: '0',
      unsubscribed: '1',
      bounced: '1',
      complained: '0',
    });
    // Drawn, the charts fold their tables away; the numbers stay in the page.
    expect(await page.locator('#readers-by-status details.numbers').getAttribute('open')).toBeNull();
  });

  it('shows each edition: its funnel, failures by domain and papers, with the counts of editions show', async () => {
    for (const day of adminWorldDays) {
      const shown = await world.editionShow(day);
      await page.goto(`${world.address}/admin/editions/${shown.id}`);
      for (const chart of await chartMarks(page)) expect(chart.drawn, `${day} ${chart.id}`).toBe(chart.expected);
      expect(await definitions(page, '.stats')).toMatchObject({
        sent: String(shown.counts.sent),
        failed: String(shown.counts.failed),
        'waiting to retry': String(shown.counts.retry),
        'not yet sent': String(shown.counts.pending + shown.counts.sending),
        skipped: String(shown.counts.skipped),
        bounced: String(shown.feedback.bounces),
        complained: String(shown.feedback.complaints),
      });
      expect(await page.locator('ol.papers li').count()).toBeGreaterThan(0);
    }
    const last = await world.editionShow(adminWorldDays.at(-1)!);
    await page.goto(`${world.address}/admin/editions/${last.id}`);
    expect(await tableRows(page, 'Failures by recipient domain')).toEqual([['example.net', '0', '1', '0']]);
  });

  it('shows the Now page, fed by its event stream', async () => {
    await page.goto(`${world.address}/admin/now`);
    await expect.poll(() => page.locator('#live-state').textContent()).toMatch(/^Live: as of/);
    expect(await page.locator('#running').textContent()).toContain('No send is running.');
  });

  it('applies the complaint waiting for review: it leaves the list and its reader is complained', async () => {
    await page.goto(`${world.address}/admin/reports`);
    const waiting = page.locator('tr[data-report]');
    expect(await waiting.count()).toBe(1);
    expect(await waiting.first().textContent()).toContain(complainingReader);
    await waiting
      .first()
      .getByRole('button', { name: /^Apply report/ })
      .click();
    await page.waitForURL(/\/admin\/reports/);
    expect(await page.locator('p.notice').textContent()).toMatch(/applied/i);
    expect(await page.locator('tr[data-report]').count()).toBe(0);
    const shown = JSON.parse((await world.cli(['subscribers', 'show', complainingReader, '--json'])).stdout);
    expect(shown.status).toBe('complained');
    await expectOverviewMatchesCli();
  });

  it('looks a reader up and resubscribes them with a reason, which the overview lists among the admin actions', async () => {
    await page.goto(`${world.address}/admin/readers`);
    await page.getByLabel('Email address').fill(leavingReader);
    await page.getByRole('button', { name: 'Look up' }).click();
    expect(await page.locator('dd[data-fact="status"]').textContent()).toBe('unsubscribed');
    await page.getByLabel(/^Reason/).fill('asked by email to come back');
    await page.getByRole('button', { name: 'Resubscribe' }).click();
    await page.waitForURL(/\/admin\/readers\?email=/);
    expect(await page.locator('dd[data-fact="status"]').textContent()).toBe('active');
    const history = await tableRows(page, 'Status changes, newest first');
    expect(history[0]!.slice(1, 3)).toEqual(['unsubscribed', 'active']);
    await page.goto(`${world.address}/admin`);
    const audit = await tableRows(page, 'The last admin actions, newest first');
    expect(audit.map((row) => row[3])).toEqual(expect.arrayContaining(['reader-resubscribed', 'report-applied', 'sign-in']));
    expect(audit.find((row) => row[3] === 'reader-resubscribed')).toEqual(
      expect.arrayContaining([leavingReader, expect.stringContaining('asked by email to come back')]),
    );
  });

  it('follows a send on the Now page as it runs: the numbers move without a reload, and it says when the send is over', async () => {
    await page.goto(`${world.address}/admin/now`);
    await expect.poll(() => page.locator('#live-state').textContent()).toMatch(/^Live: as of/);
    await page.evaluate('window.notReloaded = true');
    // One message a second: the ten active readers take ten seconds, whatever the machine's speed.
    const send = runCli(['send', '--date', '2026-08-18'], { cwd: world.root, env: { ...adminWorldEnv, PAPERBOY_RATE_LIMIT: '1' } });
    let finished = false;
    void send.then(() => (finished = true));
    const seen = new Set<string>();
    while (!finished) {
      for (const text of await page.locator('#running [data-count="done"]').allTextContents()) seen.add(text);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await send).code).toBe(0);
    expect(seen.size, [...seen].join(' ')).toBeGreaterThanOrEqual(2);
    await expect.poll(() => page.locator('#running').textContent()).toContain('No send is running.');
    expect(await page.evaluate('window.notReloaded')).toBe(true);
  });

  it('has no serious accessibility violations on any page, light or dark, and no page scrolls sideways at 375 px', async () => {
    const last = await world.editionShow(adminWorldDays.at(-1)!);
    const paths = ['/admin', `/admin/editions/${last.id}`, '/admin/now', '/admin/reports', `/admin/readers?email=${encodeURIComponent(bouncedReader)}`];
    const signedIn = await context.storageState();
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const width of [1280, 375]) {
        const checked = await browser.newContext({ colorScheme, viewport: { width, height: 900 }, bypassCSP: true, storageState: signedIn });
        try {
          const axePage = await checked.newPage();
          for (const path of paths) {
            await axePage.goto(`${world.address}${path}`);
            expect(axePage.url(), 'still signed in').toBe(`${world.address}${path}`);
            if (path === '/admin' || path.startsWith('/admin/editions')) await chartMarks(axePage);
            expect(await seriousViolations(axePage), `${path} ${colorScheme} ${width}`).toEqual([]);
            const overflow = await axePage.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
            expect(overflow, `${path} at ${width} px`).toBe(0);
          }
        } finally {
          await checked.close();
        }
      }
    }
  });

  it('refused nothing it loaded: no console error on any page', () => {
    expect(consoleErrors).toEqual([]);
  });

  it('signs out, after which /admin sends the browser to the sign-in form', async () => {
    await page.goto(`${world.address}/admin`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/admin\/login/);
    await page.goto(`${world.address}/admin`);
    expect(page.url()).toBe(`${world.address}/admin/login?next=%2Fadmin`);
  });
});
