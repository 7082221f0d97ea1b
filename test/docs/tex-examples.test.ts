import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { latexToText } from '../../src/papers/latex.js';
import { projectRoot } from '../helpers/files.js';

/** The rows of the table under "TeX in titles and abstracts" in docs/sources.md: `feed` spans, then `reader` spans. */
function documentedRows(): { feed: string[]; reader: string[] }[] {
  const text = readFileSync(join(projectRoot, 'docs', 'sources.md'), 'utf8');
  const section = text.slice(text.indexOf('## TeX in titles and abstracts'), text.indexOf('## TeX without its dollar signs'));
  const codes = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const [feed = '', reader = ''] = line.slice('| '.length, -' |'.length).split(' | ');
      return { feed: codes(feed), reader: codes(reader) };
    });
}

describe('docs/sources.md, TeX in titles and abstracts', () => {
  const rows = documentedRows();
  const examples = rows.flatMap(({ feed, reader }) => feed.map((input, index): [string, string] => [input, reader[index] ?? '']));

  it('has a table of examples, each with what it reads', () => {
    expect(examples.length).toBeGreaterThan(20);
    for (const row of rows) expect(row.reader).toHaveLength(row.feed.length);
  });

  it.each(examples)('%j reads %j', (input, expected) => {
    expect(latexToText(input)).toBe(expected);
  });
});
