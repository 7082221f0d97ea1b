import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from './files.js';

// Here too for the CLI tests, which use them beside runCli; the unit tier imports them from files.js, as it must not load this file (test/tiers.test.ts).
export { fixture, fixturesDir, projectRoot, tempDir } from './files.js';

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
