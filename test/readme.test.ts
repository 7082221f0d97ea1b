import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot, tempDir } from './helpers/cli.js';

const read = (file: string) => readFileSync(join(projectRoot, file), 'utf8');
const readme = read('README.md');
const docs = readdirSync(join(projectRoot, 'docs'))
  .filter((name) => name.endsWith('.md'))
  .map((name) => `docs/${name}`);
/** The docs in the order the README's manual lists them, then any it does not list. */
const manualOrder = [...readme.matchAll(/\]\((docs\/[a-z-]+\.md)\)/g)].map((match) => match[1]!).filter((file, index, all) => all.indexOf(file) === index);
const readingOrder = ['README.md', ...manualOrder, ...docs.filter((file) => !manualOrder.includes(file))];

/**
 * The paperboy commands of a file's ```sh blocks, in order (blocks marked `sh norun` are the
 * ones that need the network, a file of your own, or run until stopped).
 */
const commandsOf = (text: string) =>
  [...text.matchAll(/^```sh([^\n]*)\n([\s\S]*?)^```/gm)]
    .filter((block) => !block[1]!.includes('norun'))
    .flatMap((block) => block[2]!.split('\n'))
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => /^([A-Z_]+=('[^']*'|\S+)\s+)*\.\/paperboy\s/.test(line));

const dir = tempDir('paperboy-readme-');
afterAll(dir.remove);

function run(line: string, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', line], { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME } }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\- ]/gu, '')
    .replace(/ /g, '-');
const anchorsIn = (text: string) => new Set([...text.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6} (.+)$/gm)].map((match) => anchorOf(match[1]!)));

describe('the README and docs/', () => {
  it('shows commands to try', () => {
    expect(commandsOf(readme).length).toBeGreaterThanOrEqual(10);
    expect(readme).toContain('./paperboy editions show 2026-08-21');
  });

  it('runs every example command, README first and then the manual in its order, on one fresh clone, each exiting 0', { timeout: 900_000 }, async () => {
    const clone = join(dir.path, 'clone');
    mkdirSync(join(clone, 'subscribers'), { recursive: true });
    symlinkSync(join(projectRoot, 'bin', 'paperboy.js'), join(clone, 'paperboy'));
    symlinkSync(join(projectRoot, 'test'), join(clone, 'test'));
    copyFileSync(join(projectRoot, 'subscribers', 'example.csv'), join(clone, 'subscribers', 'example.csv'));
    const lines = readingOrder.flatMap((file) => commandsOf(read(file)).map((line) => ({ file, line })));
    expect(lines.filter((each) => each.file !== 'README.md').length).toBeGreaterThanOrEqual(10);
    for (const { file, line } of lines) {
      const result = await run(line, clone);
      expect(result.code, `${file}: ${line}\n${result.stderr}`).toBe(0);
    }
  });

  it('links only to files and headings that exist', () => {
    const broken = readingOrder.flatMap((file) => {
      const text = read(file);
      const links = [...text.replace(/^```[\s\S]*?^```/gm, '').matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!);
      return links
        .filter((link) => !/^[a-z]+:/i.test(link))
        .filter((link) => {
          const [path, anchor] = link.split('#') as [string, string | undefined];
          const target = path ? resolve(projectRoot, dirname(file), path) : join(projectRoot, file);
          if (!existsSync(target)) return true;
          return anchor !== undefined && target.endsWith('.md') && !anchorsIn(readFileSync(target, 'utf8')).has(anchor);
        })
        .map((link) => `${file}: ${link}`);
    });
    expect(broken).toEqual([]);
  });
});
