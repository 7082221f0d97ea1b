import type { QueryClause, QueryPhrase } from './query.js';
import { idioms } from './thesaurus.js';
import { tokenize } from './words.js';

/** One field of a paper, as positions of each stem (stop words leave gaps, as in the engines). */
export interface FieldText {
  positions: Map<string, number[]>;
  /** Occurrences inside an idiom ("generation" in "next-generation"), by stem: position → the idiom's stems. */
  idiomatic: Map<string, Map<number, readonly string[]>>;
  length: number;
}

function idiomaticOccurrences(positions: Map<string, number[]>): FieldText['idiomatic'] {
  const found: FieldText['idiomatic'] = new Map();
  for (const { stems, offset } of idioms) {
    for (const start of positions.get(stems[0]!) ?? []) {
      if (!stems.every((stem, index) => positions.get(stem)?.includes(start + index))) continue;
      const stem = stems[offset]!;
      if (!found.has(stem)) found.set(stem, new Map());
      found.get(stem)!.set(start + offset, stems);
    }
  }
  return found;
}

// A phrase does not run across the end of a sentence (or from one keyword into the next): each
// boundary pushes the words after it this far away. The stores' engines cannot do this; alerts can.
const sentenceGap = 1000;
const endsSentence = /[.!?;](?:\s|$)/;

export function fieldText(text: string): FieldText {
  const positions = new Map<string, number[]>();
  let length = 0;
  let shift = 0;
  let end = 0;
  for (const token of tokenize(text)) {
    if (endsSentence.test(text.slice(end, token.start))) shift += sentenceGap;
    end = Math.max(end, token.start + token.text.length);
    if (!token.stem) continue;
    const list = positions.get(token.stem);
    if (list) list.push(token.position + shift);
    else positions.set(token.stem, [token.position + shift]);
    if (!token.alias) length++;
  }
  return { positions, idiomatic: idiomaticOccurrences(positions), length };
}

const nearCount = (from: readonly number[], to: readonly number[], proximity: number) =>
  from.filter((at) => to.some((other) => other !== at && Math.abs(other - at) - 1 <= proximity)).length;

/**
 * How often a phrase occurs in a field. Exact: its words at their offsets (a stop word stands for any
 * word). Otherwise each pair of neighbouring words within `proximity` other words, in either order,
 * counted by the pair seen least often: the same test FTS5's NEAR and PostgreSQL's <N> make.
 */
export function phraseCount(phrase: QueryPhrase, field: FieldText, proximity: number): number {
  const words = phrase.words.flatMap((word, offset) => (word.stem ? [{ stem: word.stem, offset }] : []));
  const asked = new Set(words.map((word) => word.stem));
  // An idiom's word counts only for a search that names the whole idiom.
  const meant = (stem: string, at: number) =>
    !field.idiomatic
      .get(stem)
      ?.get(at)
      ?.some((other) => !asked.has(other));
  const lists = words.map((word) => (field.positions.get(word.stem) ?? []).filter((at) => meant(word.stem, at)));
  if (lists.some((list) => list.length === 0)) return 0;
  if (phrase.exact) {
    return lists[0]!.filter((at) => words.every((word, index) => lists[index]!.includes(at - words[0]!.offset + word.offset))).length;
  }
  if (lists.length === 1) return lists[0]!.length;
  let least = Number.POSITIVE_INFINITY;
  for (let index = 1; index < lists.length; index++) least = Math.min(least, nearCount(lists[index - 1]!, lists[index]!, proximity));
  return least;
}

// Spellings differ for the engines only: here "quantisation" and "quantization" are one phrase.
const stemKey = (phrase: QueryPhrase) => `${phrase.exact}:${phrase.words.map((word) => word.stem ?? '').join(' ')}`;
const byStems = (clause: QueryClause) => [...new Map(clause.alternatives.map((phrase) => [stemKey(phrase), phrase])).values()];

/** How often any of a clause's phrases occurs in the field (synonyms add up: "MoE" and "mixture of experts" are one term). */
export const clauseCount = (clause: QueryClause, field: FieldText, proximity: number): number =>
  byStems(clause).reduce((sum, phrase) => sum + phraseCount(phrase, field, proximity), 0);

/**
 * How strongly a field names the clause: each occurrence of a single word counts 1, of a phrase of
 * several words 2. "Reasoning" once in passing is 1; "mixture of experts" once, or "reasoning"
 * twice, is 2.
 */
export const clauseMentions = (clause: QueryClause, field: FieldText, proximity: number): number =>
  byStems(clause).reduce((sum, phrase) => sum + phraseCount(phrase, field, proximity) * Math.min(2, phrase.words.filter((word) => word.stem).length), 0);

/** The stems of the clause's phrases found in the field: what the reader sees marked. */
export function clauseStems(clause: QueryClause, field: FieldText, proximity: number): string[] {
  return byStems(clause)
    .filter((phrase) => phraseCount(phrase, field, proximity) > 0)
    .flatMap((phrase) => phrase.words.flatMap((word) => (word.stem ? [word.stem] : [])));
}
