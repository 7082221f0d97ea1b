#!/usr/bin/env -S node --max-old-space-size=144 --max-semi-space-size=8
// The heap caps keep a big send's memory flat: paperboy's live heap is small (~50 MB, lists are
// read page by page), but V8 otherwise lets garbage from 100,000 renders pile up to ~450 MB.
// The `paperboy` command. The TypeScript sources are compiled to dist/ by `npm install` (prepare).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('paperboy: not built yet; run `npm install` (or `npm run build`) in the paperboy folder.\n');
  process.exit(1);
}
// `paperboy … | head` closes the pipe early: that is not an error worth a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const { main } = await import(entry.href);
process.exitCode = await main(process.argv);
