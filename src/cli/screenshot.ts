import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { messageOf, PaperboyError } from '../errors.js';

const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** Debian's Chromium (or PAPERBOY_CHROMIUM): paperboy never downloads a browser of its own. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const path = env.PAPERBOY_CHROMIUM ?? candidates.find((candidate) => existsSync(candidate));
  if (!path || !existsSync(path)) {
    throw new PaperboyError('BROWSER', 'Chromium was not found; install it (e.g. apt-get install chromium) or set PAPERBOY_CHROMIUM to its path.');
  }
  return path;
}

/** The launch flags for a headless Chromium on a machine without a desktop or an outside network. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export type ColorScheme = 'light' | 'dark';

/**
 * Full-page PNGs of an HTML file at each width, in light and dark mode (prefers-color-scheme
 * emulated, as Apple Mail and Outlook.com apply the template's dark styles); returns their paths:
 * digest-375.png, digest-375-dark.png, …
 */
export async function screenshots(
  htmlFile: string,
  outDir: string,
  widths: readonly number[] = [375, 600],
  schemes: readonly ColorScheme[] = ['light', 'dark'],
): Promise<string[]> {
  const executablePath = findChromium();
  const { chromium } = await import('playwright-core');
  let browser: Awaited<ReturnType<typeof chromium.launch>> | undefined;
  try {
    browser = await chromium.launch({ executablePath, headless: true, args: chromiumArgs });
  } catch (error) {
    throw new PaperboyError('BROWSER', `Chromium at ${executablePath} did not start: ${messageOf(error).split('\n')[0]}.`);
  }
  try {
    const paths: string[] = [];
    for (const width of widths) {
      for (const colorScheme of schemes) {
        const page = await browser.newPage({ viewport: { width, height: 800 }, colorScheme });
        await page.goto(pathToFileURL(htmlFile).href);
        const path = join(outDir, `digest-${width}${colorScheme === 'dark' ? '-dark' : ''}.png`);
        await page.screenshot({ path, fullPage: true });
        await page.close();
        paths.push(path);
      }
    }
    return paths;
  } finally {
    await browser.close();
  }
}
