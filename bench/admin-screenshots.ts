/**
 * The admin dashboard's pictures in docs/: the overview and an edition page, light and dark, of a
 * newsletter with a few weeks behind it (bench/admin-history.ts), through `paperboy serve` and
 * Debian's Chromium as `paperboy preview --screenshot` uses it. `npm run docs:admin-screenshots`.
 */
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumArgs, findChromium } from '../src/cli/screenshot.js';
import { signInInBrowser, startServe } from '../test/helpers/admin-world.js';
import { projectRoot, runCli, tempDir } from '../test/helpers/cli.js';
import { buildAdminHistory } from './admin-history.js';

const width = 1100;
const dir = tempDir('paperboy-admin-screenshots-');
await buildAdminHistory(dir.path);
const serve = await startServe(dir.path);
const browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: chromiumArgs });
try {
  const edition = JSON.parse((await runCli(['editions', 'show', '2026-08-21', '--json'], { cwd: dir.path })).stdout) as { id: number };
  const pages = { overview: '/admin', edition: `/admin/editions/${edition.id}` };
  for (const colorScheme of ['light', 'dark'] as const) {
    const context = await browser.newContext({ colorScheme, viewport: { width, height: 900 } });
    const page = await signInInBrowser(context, serve.address);
    for (const [name, path] of Object.entries(pages)) {
      await page.goto(`${serve.address}${path}`);
      await page.waitForFunction('[...document.querySelectorAll("figure.chart")].every((figure) => figure.dataset.drawn === "true")');
      const file = join(projectRoot, 'docs', `admin-${name}-${colorScheme}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(file);
    }
    await context.close();
  }
} finally {
  await browser.close();
  await serve.stop();
  dir.remove();
}
