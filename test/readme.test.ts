import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot, tempDir } from './helpers/cli.js';

/**
 * Every command in the README's ```sh blocks (blocks marked `sh norun` are the ones that need
 * the network or run until stopped) runs, in order, on a fresh folder laid out like a clone.
 */
const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
const commands = [...readme.matchAll(/^```sh([^\n]*)\n([\s\S]*?)^```/gm)]
  .filter((block) => !block[1]!.includes('norun'))
  .flatMap((block) => block[2]!.split('\n'))
  .map((line) => line.replace(/\s+#.*$/, '').trim())
  .filter((line) => line.startsWith('./paperboy'));

const dir = tempDir('paperboy-readme-');
afterAll(dir.remove);

function run(line: string, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', line], { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME } }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('the README', () => {
  it('shows commands to try', () => {
    expect(commands.length).toBeGreaterThanOrEqual(10);
    expect(readme).toContain('./paperboy editions show 2026-08-21');
  });

  it('runs every example command on a fresh clone, each exiting 0', { timeout: 120_000 }, async () => {
    const clone = join(dir.path, 'clone');
    mkdirSync(join(clone, 'subscribers'), { recursive: true });
    symlinkSync(join(projectRoot, 'bin', 'paperboy.js'), join(clone, 'paperboy'));
    symlinkSync(join(projectRoot, 'test'), join(clone, 'test'));
    copyFileSync(join(projectRoot, 'subscribers', 'example.csv'), join(clone, 'subscribers', 'example.csv'));
    for (const line of commands) {
      const result = await run(line, clone);
      expect(result.code, `${line}\n${result.stderr}`).toBe(0);
    }
  });
});
