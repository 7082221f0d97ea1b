import { spellingsOf, synonymsAt } from './thesaurus.js';
import { type Token, tokenize } from './words.js';

/**
 * The one query language of alerts and the stores' full-text search (docs/queries.md), parsed into
 * a form each engine translates: paperboy's own matcher (match.ts), SQLite FTS5 (fts5.ts) and
 * PostgreSQL (tsquery.ts).
 *
 * - Words split at hyphens and punctuation; stop words are dropped; words are stemmed.
 * - A query's unquoted words form one phrase: its words must stand within `proximity` words of the
 *   next one (either order; stop words count, as both engines count them). "video generation"
 *   finds "generating realistic videos", not a paper on video understanding that mentions
 *   generation elsewhere.
 * - A "quoted phrase" matches its words in order, side by side (stop words stand for any word).
 *   It is a clause of its own: every clause of a query must match.
 * - Unquoted words are looked up in the thesaurus (synonyms.ts): "MoE" also finds "mixture of
 *   experts" and back; British and American spellings find each other, quoted or not.
 */

export const fieldWeights = { title: 3, keywords: 2, summary: 1 } as const;
export type Field = keyof typeof fieldWeights;

/** At most this many other words between two words of a phrase. */
export const proximity = 3;

/** A word of a phrase: lower-cased as written (what the engines stem themselves) and paperboy's stem. No stem: a stop word, kept only in quoted phrases. */
export interface QueryWord {
  word: string;
  stem?: string;
  /** From a thesaurus term (not a `near` pair) rather than the reader's own words. */
  term?: true;
}

export interface QueryPhrase {
  words: readonly QueryWord[];
  /** Quoted: in order and adjacent. Otherwise each word within `proximity` of the next. */
  exact: boolean;
}

/** What one clause asks for: any of these phrases (the words as written, their synonyms and spellings). */
export interface QueryClause {
  alternatives: readonly QueryPhrase[];
}

export interface Query {
  text: string;
  /** Every clause must match. None: the query has no word to search for. */
  clauses: readonly QueryClause[];
  proximity: number;
  fieldWeights: Readonly<Record<Field, number>>;
}

// A query is read, not trusted: this caps what a long one with many synonyms can expand to.
const maxAlternatives = 64;

function crossProduct(slots: readonly (readonly (readonly QueryWord[])[])[]): QueryWord[][] {
  let phrases: QueryWord[][] = [[]];
  for (const slot of slots) {
    const widened = phrases.flatMap((phrase) => slot.map((choice) => [...phrase, ...choice]));
    phrases = widened.length <= maxAlternatives ? widened : phrases.map((phrase) => [...phrase, ...slot[0]!]);
  }
  return phrases;
}

/** Unquoted words, each slot the words as written or any form of the thesaurus entry they spell. */
function synonymSlots(tokens: readonly Token[]): QueryWord[][][] {
  const stems = tokens.map((token) => token.stem!);
  const slots: QueryWord[][][] = [];
  for (let at = 0; at < tokens.length; ) {
    const found = synonymsAt(stems, at);
    const length = found?.length ?? 1;
    const asWritten = tokens.slice(at, at + length).map(({ word, stem }) => ({ word, stem: stem! }));
    const forms = (found?.finds ?? []).map((form) => form.words.map((word): QueryWord => (form.near ? { ...word } : { ...word, term: true })));
    slots.push([asWritten, ...forms]);
    at += length;
  }
  return slots;
}

const spellingSlots = (words: readonly QueryWord[]) =>
  words.map((each) => (each.stem ? spellingsOf(each.word).map((word) => [{ word, stem: each.stem }]) : [[each]]));

const phraseKey = (phrase: QueryPhrase) => phrase.words.map((each) => each.word).join(' ');

function clauseOf(text: string, exact: boolean): QueryClause | undefined {
  const tokens = tokenize(text).filter((token) => !token.alias && (exact || token.stem));
  if (!tokens.some((token) => token.stem)) return undefined;
  const written = exact ? [tokens.map(({ word, stem }): QueryWord => (stem ? { word, stem } : { word }))] : crossProduct(synonymSlots(tokens));
  // "MoE routing" through MoE's "expert routing" would ask for routing twice: once is meant.
  const deduped = written.map((words) => (exact ? words : words.filter((word, index) => index === 0 || !word.stem || word.stem !== words[index - 1]!.stem)));
  // A phrase that is wholly one of the thesaurus's terms of art ("code language model", "open-weight
  // model") is matched as written, side by side: near each other, its words mean something else
  // ("natural language and code, … model"). The reader's own words stay a loose phrase.
  const phrases = deduped.flatMap((words) => {
    const term = !exact && words.filter((word) => word.stem).length > 1 && words.every((word) => word.term);
    const kept = exact || term ? words : words.filter((word) => word.stem);
    return crossProduct(spellingSlots(kept)).map((spelled) => ({
      words: spelled.map(({ word, stem }) => (stem ? { word, stem } : { word })),
      exact: exact || term,
    }));
  });
  return { alternatives: phrases.filter((phrase, index) => phrases.findIndex((other) => phraseKey(other) === phraseKey(phrase)) === index) };
}

/** A query as the reader typed it, parsed. Never throws: any text is a query (perhaps with no clause). */
export function parseQuery(text: string): Query {
  const clauses: QueryClause[] = [];
  // Typographic quotes count as quotes; an unclosed quote runs to the end.
  for (const match of text.replace(/[“”„‟«»]/g, '"').matchAll(/"([^"]*)"?|[^"]+/g)) {
    const clause = match[1] === undefined ? clauseOf(match[0], false) : clauseOf(match[1], true);
    if (clause) clauses.push(clause);
  }
  return { text, clauses, proximity, fieldWeights };
}
