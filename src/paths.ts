import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root, found from this file whether it runs from src/ (tests) or dist/src/ (the CLI). */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || dir.endsWith('dist')) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`paperboy: package.json not found above ${import.meta.url}`);
    dir = parent;
  }
  return dir;
}

export const packageRoot = findPackageRoot();
export const bundledTemplatesDir = join(packageRoot, 'templates');
export const bundledSampleFeed = join(packageRoot, 'src', 'papers', 'sources', 'sample-feed.json');
