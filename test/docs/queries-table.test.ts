import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { notMeant, spellings, synonyms } from '../../src/search/synonyms.js';
import { projectRoot } from '../helpers/files.js';

const page = readFileSync(join(projectRoot, 'docs', 'queries.md'), 'utf8');
const code = (forms: readonly string[] = []) => forms.map((form) => `\`${form}\``).join(', ');
const alsoFinds = (entry: (typeof synonyms)[number]) =>
  [code(entry.narrower), ...(entry.near ?? []).map((form) => `\`${form}\` (words near each other)`)].filter(Boolean).join(', ');

describe('docs/queries.md', () => {
  it('lists every thesaurus entry, with what it also finds', () => {
    const missing = synonyms.filter((entry) => !page.includes(`| ${code(entry.same)} | ${alsoFinds(entry)} |`)).map((entry) => entry.same[0]);
    expect(missing).toEqual([]);
    const rows = page
      .split('\n')
      .filter((line) => /^\| `[^|]+` \| [^|]*\| [^|]/.test(line) && !notMeant.some(({ phrase }) => line.startsWith(`| \`${phrase}\``)));
    expect(rows).toHaveLength(synonyms.length);
  });

  it('lists every spelling pair and every phrase that does not mean its word', () => {
    for (const [british, american] of spellings) expect(page).toContain(`${british}/${american}`);
    for (const { phrase, word } of notMeant) expect(page).toContain(`| \`${phrase}\` | \`${word}\` |`);
  });
});
