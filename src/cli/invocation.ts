import { delimiter, dirname, isAbsolute, relative, resolve } from 'node:path';

/**
 * How to run paperboy again the way it was just run, for commands we print (resume, hints):
 * `paperboy` when it was found on the PATH (npm link, a global install), else the path that
 * was used, relative to here (`./paperboy`, `bin/paperboy.js`).
 */
export function invocation(argv: readonly string[] = process.argv, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const script = argv[1];
  if (!script) return 'paperboy';
  const onPath = (env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => resolve(dir));
  if (/(^|[/\\])paperboy$/.test(script) && onPath.includes(dirname(resolve(script)))) return 'paperboy';
  const path = relative(cwd, script);
  if (path.startsWith('..') || isAbsolute(path)) return shellQuote(script);
  return shellQuote(path.startsWith('.') ? path : `./${path}`);
}

/** One shell word: as it is when it is plain, else single-quoted. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
