import type { Query, QueryPhrase } from './query.js';

/**
 * A parsed query as an SQLite FTS5 MATCH expression, for a table made with
 * `tokenize = 'porter unicode61'` (hyphens and punctuation split words, accents fold, Porter
 * stems). Every word goes in double quotes, as FTS5 reads its own string syntax: the reader's
 * text never reaches FTS5 as syntax, so AND, NEAR, *, :, ( or a stray quote are only words (and
 * words hold letters and digits only, tokenize() saw to that). Words go as written, lower-cased:
 * FTS5 stems them with its own Porter, as it stemmed the papers.
 *
 * Phrases: quoted ones as an FTS5 phrase ("mixture of experts": adjacent, in order); the others as
 * NEAR groups, one per pair of neighbouring words, since NEAR takes no alternatives inside it and
 * counts the tokens between its first and last phrase. FTS5 cannot see sentence ends or the
 * "next-generation" idioms alerts skip, nor the acronym at the end of "GraphRAG" unless the text
 * was indexed through searchableText().
 *
 * `columns` limits the match to those columns of the table (names from code, not readers).
 * Undefined: the query has nothing to search for; ask FTS5 nothing.
 */
export function toFts5Match(query: Query, columns?: readonly string[]): string | undefined {
  if (query.clauses.length === 0) return undefined;
  const expression = query.clauses
    .map((clause) =>
      group(
        clause.alternatives.map((phrase) => fts5Phrase(phrase, query.proximity)),
        'OR',
      ),
    )
    .join(' AND ');
  if (!columns?.length) return expression;
  for (const column of columns) if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(column)) throw new Error(`"${column}" is not a column name`);
  return `{${columns.join(' ')}} : (${expression})`;
}

const quoted = (text: string) => `"${text.replaceAll('"', '""')}"`;
const group = (parts: readonly string[], operator: 'AND' | 'OR') => (parts.length === 1 ? parts[0]! : `(${parts.join(` ${operator} `)})`);

function fts5Phrase(phrase: QueryPhrase, proximity: number): string {
  if (phrase.exact) return quoted(phrase.words.map((each) => each.word).join(' '));
  const words = phrase.words.map((each) => quoted(each.word));
  if (words.length === 1) return words[0]!;
  return group(
    words.slice(1).map((word, index) => `NEAR(${words[index]} ${word}, ${proximity})`),
    'AND',
  );
}
