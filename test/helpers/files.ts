import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const projectRoot = resolve(import.meta.dirname, '..', '..');
export const fixturesDir = join(projectRoot, 'test', 'fixtures', 'hf-daily-papers');
export const fixture = (day: string) => join(fixturesDir, `${day}.json`);

/** A temporary folder removed after the test file. */
export function tempDir(prefix = 'paperboy-test-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
