import type { EngineMatch } from './archive.js';

/**
 * A STAND-IN for the query language, to be replaced by src/search's parseQuery → toFts5Match /
 * toTsquery: the words of `query` (runs of letters and digits; hyphens and punctuation split
 * them), every one required, in any order and any field. No phrases, no synonyms. For FTS5 each
 * word is quoted and they are ANDed; for PostgreSQL each is a quoted lexeme and they are ANDed,
 * which to_tsquery reads as plainto_tsquery reads the bare words (stop words dropped).
 * Undefined when `query` has no word.
 */
export function stubEngineMatch(query: string): EngineMatch | undefined {
  const words = query.match(/[\p{L}\p{N}]+/gu);
  if (!words) return undefined;
  return { fts5: words.map((word) => `"${word}"`).join(' AND '), tsquery: words.map((word) => `'${word}'`).join(' & ') };
}
