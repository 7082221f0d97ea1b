import type { Query, QueryPhrase, QueryWord } from './query.js';

/**
 * A parsed query as PostgreSQL tsquery text, for `to_tsquery('english', $1)` (always a bound
 * parameter) against a tsvector made with the `english` configuration. Every word is a quoted
 * lexeme of letters and digits only (tokenize() saw to that), so no reader's text is ever tsquery
 * syntax: &, |, !, :*, <->, parentheses and quotes in a query are word breaks. Words go as
 * written, lower-cased: PostgreSQL stems them with its Snowball English stemmer, as it stemmed the
 * papers (Porter's successor: it agrees with paperboy's Porter nearly always, and where it does not,
 * each engine still agrees with itself).
 *
 * Phrases: quoted ones with <-> (in order, adjacent; PostgreSQL turns a stop word into a gap);
 * the others as one condition per pair of neighbouring words, each `a <k> b` or `b <k> a` for every
 * k up to proximity + 1, since <N> means exactly N positions apart. PostgreSQL's parser gives a
 * hyphenated word a position of its own before its parts, so distances across one are one longer
 * than FTS5's; searchableText() avoids that for stored text.
 *
 * Undefined: the query has nothing to search for; ask PostgreSQL nothing.
 */
export function toTsquery(query: Query): string | undefined {
  if (query.clauses.length === 0) return undefined;
  return query.clauses
    .map((clause) =>
      group(
        clause.alternatives.map((phrase) => tsPhrase(phrase, query.proximity)),
        '|',
      ),
    )
    .join(' & ');
}

const group = (parts: readonly string[], operator: '&' | '|') => (parts.length === 1 ? parts[0]! : `(${parts.join(` ${operator} `)})`);

// Snowball keeps the s of a word without vowels ("llms" stays llms) where Porter drops it: an
// acronym is asked for in both numbers.
function lexeme({ word }: QueryWord): string {
  const quoted = `'${word.replaceAll("'", "''").replaceAll('\\', '\\\\')}'`;
  if (!/^[^aeiouy]+$/.test(word.slice(0, -1)) || !/\p{L}/u.test(word)) return quoted;
  const other = word.endsWith('s') ? word.slice(0, -1) : `${word}s`;
  return `(${quoted} | '${other}')`;
}

function tsPhrase(phrase: QueryPhrase, proximity: number): string {
  const words = phrase.words.map(lexeme);
  if (words.length === 1) return words[0]!;
  if (phrase.exact) return `(${words.join(' <-> ')})`;
  const pairs = words.slice(1).map((word, index) => {
    const before = words[index]!;
    const distances = Array.from({ length: proximity + 1 }, (_, gap) => gap + 1);
    return group([...distances.map((k) => `${before} <${k}> ${word}`), ...distances.map((k) => `${word} <${k}> ${before}`)], '|');
  });
  return group(pairs, '&');
}
