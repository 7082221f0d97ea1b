import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const projectRoot = resolve(import.meta.dirname, '..', '..');
export const fixturesDir = join(projectRoot, 'test', 'fixtures', 'hf-daily-papers');
export const fixture = (day: string) => join(fixturesDir, `${day}.json`);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `paperboy` command (bin/paperboy.js → dist/) as a user would, with a clean PAPERBOY_* environment. */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string>; input?: string | Buffer } = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...options.env };
  return new Promise((resolvePromise) => {
    const child = execFile(
      process.execPath,
      [join(projectRoot, 'bin', 'paperboy.js'), ...args],
      { cwd: options.cwd ?? projectRoot, env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolvePromise({ code, stdout, stderr });
      },
    );
    // Standard input: what is given (a piped message), else nothing (never the test runner's own).
    child.stdin?.end(options.input ?? '');
  });
}

/** A temporary folder removed after the test file. */
export function tempDir(prefix = 'paperboy-test-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
