import type { EngineMatch } from '../papers/index.js';
import { toFts5Match } from './fts5.js';
import { parseQuery } from './query.js';
import { toTsquery } from './tsquery.js';

/** The searches as one match for either store's engine: any of them (an alert mail links all of a reader's). */
export function engineMatch(queries: readonly string[]): EngineMatch | undefined {
  const parsed = queries.map(parseQuery);
  const fts5 = parsed.map((query) => toFts5Match(query)).filter((match): match is string => Boolean(match));
  const tsquery = parsed.map((query) => toTsquery(query)).filter((match): match is string => Boolean(match));
  if (fts5.length === 0 || tsquery.length === 0) return undefined;
  return { fts5: fts5.map((match) => `(${match})`).join(' OR '), tsquery: tsquery.map((match) => `(${match})`).join(' | ') };
}
