import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

const twoUp = resolve(import.meta.dirname, '..', '..');
/** The clone: two folders up, or three when this runs compiled from dist/test/helpers (a bench script's import). */
export const projectRoot = basename(twoUp) === 'dist' ? resolve(twoUp, '..') : twoUp;
export const fixturesDir = join(projectRoot, 'test', 'fixtures', 'hf-daily-papers');
export const fixture = (day: string) => join(fixturesDir, `${day}.json`);

/** A temporary folder removed after the test file. */
export function tempDir(prefix = 'paperboy-test-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
