import { isAbsolute, relative } from 'node:path';

/**
 * A path as a person should see it: absolute when they gave it absolute (`given`), else relative
 * to where they are (and absolute if that would climb out of it).
 */
export function shownPath(path: string, given: string = path): string {
  if (isAbsolute(given)) return path;
  const shown = relative(process.cwd(), path);
  return shown === '' ? '.' : shown.startsWith('..') ? path : shown;
}
