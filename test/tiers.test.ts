/**
 * The unit tier (test/tiers.ts) runs with no build and no server. This checks what each of its
 * files and the test code it imports (helpers, shared mails) use, so a helper that starts
 * something cannot slip into the tier unnoticed. Product code under src/ is not followed: it
 * imports the PostgreSQL driver whichever store a test opens.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from './helpers/files.js';
import { unitTests } from './tiers.js';

/** An import of `module` that runs it (static, re-export or dynamic, not `import type`), at a line's start so this file's own patterns do not count. */
const importOf = (module: string) => new RegExp(`^(?:import|export)\\b(?!\\s+type\\b)[^;]*?\\bfrom\\s+'${module}'|^.*\\bimport\\(\\s*'${module}'\\s*\\)`, 'm');

const forbidden = [
  { uses: importOf('(?:node:)?child_process'), why: 'starts child processes' },
  { uses: importOf('playwright-core'), why: 'drives a browser' },
  { uses: importOf('pg(?:-copy-streams)?'), why: 'talks to PostgreSQL' },
  { uses: /^import\s*\{[^}]*\binject\b[^}]*\}\s*from\s+'vitest'/m, why: "asks for the integration tier's PostgreSQL server" },
];

const read = (file: string) => readFileSync(join(projectRoot, file), 'utf8');

/** `file` and the test code it imports, directly or through other test code, as project paths. */
function testCodeOf(file: string): string[] {
  const seen = new Set<string>();
  const pending = [file];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (seen.has(next)) continue;
    seen.add(next);
    for (const [, specifier] of read(next).matchAll(/(?:from\s+|import\(\s*)'(\.{1,2}\/[^']+)'/g)) {
      const imported = relative(projectRoot, resolve(projectRoot, dirname(next), specifier!)).replace(/\.js$/, '.ts');
      if (!imported.startsWith('src/') && existsSync(join(projectRoot, imported))) pending.push(imported);
    }
  }
  return [...seen];
}

describe('the unit tier', () => {
  it.each(unitTests)('%s needs no server, browser or child process', (file) => {
    expect(existsSync(join(projectRoot, file)), `test/tiers.ts lists ${file}, which does not exist`).toBe(true);
    const found = testCodeOf(file).flatMap((code) => forbidden.filter(({ uses }) => uses.test(read(code))).map(({ why }) => `${code} ${why}`));
    expect(found, 'an integration test, then: take it out of test/tiers.ts').toEqual([]);
  });
});
