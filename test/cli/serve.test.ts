import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot, runCli, tempDir } from '../helpers/cli.js';
import { track } from '../helpers/processes.js';

const dir = tempDir('paperboy-serve-');
afterAll(dir.remove);

describe('paperboy serve', () => {
  it('listens, answers pages with security headers, and stops cleanly on SIGTERM', async () => {
    const child = track(
      spawn(process.execPath, [join(projectRoot, 'bin', 'paperboy.js'), '--data-dir', join(dir.path, 'data'), 'serve', '--port', '0'], {
        cwd: dir.path,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const address = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no address in: ${stdout}`)), 60_000);
      child.stdout.on('data', () => {
        const match = /serving on (http:\/\/[\d.:]+)/.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
    });
    const home = await fetch(`${address}/`);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await home.text()).toContain('<label for="email">');
    expect((await fetch(`${address}/preview`)).status).toBe(404); // the preview is --dev only
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('paperboy preview --screenshot', () => {
  it('saves full-page PNGs at 375 and 600 px, light and dark, with headless Chromium', async () => {
    const out = join(dir.path, 'shots');
    const result = await runCli(['preview', '--screenshot', '--out', out, '--json']);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.paths.screenshots).toEqual(
      ['digest-375.png', 'digest-375-dark.png', 'digest-600.png', 'digest-600-dark.png'].map((name) => join(out, name)),
    );
    for (const file of summary.paths.screenshots) {
      expect(existsSync(file)).toBe(true);
      const png = readFileSync(file);
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      const width = png.readUInt32BE(16);
      expect(width).toBe(/-375(-dark)?\.png$/.test(file) ? 375 : 600);
      expect(png.readUInt32BE(20)).toBeGreaterThan(1500); // full page: far taller than the viewport
    }
    // The dark ones are the template's dark styles, not a copy of the light ones.
    expect(readFileSync(join(out, 'digest-600-dark.png')).equals(readFileSync(join(out, 'digest-600.png')))).toBe(false);
  });

  it('says in one line when Chromium is missing', async () => {
    const result = await runCli(['preview', '--screenshot', '--out', join(dir.path, 'none')], { env: { PAPERBOY_CHROMIUM: '/nonexistent/chromium' } });
    expect(result.code).toBe(8);
    expect(result.stderr.trim()).toBe('paperboy: Chromium was not found; install it (e.g. apt-get install chromium) or set PAPERBOY_CHROMIUM to its path.');
  });
});
