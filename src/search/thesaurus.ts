import { stemmer } from 'stemmer';
import { notMeant, spellings, synonyms } from './synonyms.js';
import { stemOf, tokenize } from './words.js';

/** A form of a thesaurus entry: its words as written (lower-cased, stop words without a stem) and the stems of those that have one. */
export interface Form {
  words: readonly { word: string; stem?: string }[];
  stems: readonly string[];
  /** Two ideas found near each other, not a term found as written. */
  near?: true;
}

const formOf = (text: string): Form => {
  const tokens = tokenize(text).filter((token) => !token.alias);
  return { words: tokens.map(({ word, stem }) => (stem ? { word, stem } : { word })), stems: tokens.flatMap((token) => (token.stem ? [token.stem] : [])) };
};

interface Entry {
  forms: Form[];
  /** What a search for the entry finds: its forms, its narrower forms and their entries' forms. */
  finds: Form[];
}

const sameStems = (x: Form, y: Form) => x.stems.length === y.stems.length && x.stems.every((stem, index) => stem === y.stems[index]);
const unique = (forms: Form[]) => forms.filter((form, index) => forms.findIndex((other) => sameStems(form, other)) === index);

const entries: Entry[] = synonyms.map((entry) => ({ forms: entry.same.map(formOf), finds: [] }));
synonyms.forEach((entry, index) => {
  const narrower = [...(entry.narrower ?? []).map(formOf), ...(entry.near ?? []).map((text): Form => ({ ...formOf(text), near: true }))];
  // One level down: LLM finds MLLM and, through MLLM's entry, "multimodal LLM".
  const theirEntries = entries.filter((other) => other.forms.some((form) => narrower.some((each) => sameStems(form, each))));
  entries[index]!.finds = unique([...entries[index]!.forms, ...narrower, ...theirEntries.flatMap((other) => other.forms)]);
});

/**
 * The longest form of a thesaurus entry that the stems spell from `start` on, with everything a
 * search for it finds; undefined when none starts there.
 */
export function synonymsAt(stems: readonly string[], start: number): { length: number; finds: readonly Form[] } | undefined {
  let best: { length: number; finds: readonly Form[] } | undefined;
  for (const entry of entries) {
    for (const form of entry.forms) {
      const length = form.stems.length;
      if (length === 0 || length <= (best?.length ?? 0) || start + length > stems.length) continue;
      if (form.stems.every((stem, offset) => stems[start + offset] === stem)) best = { length, finds: entry.finds };
    }
  }
  return best;
}

const commonPrefix = ([british, american]: readonly [string, string]) => {
  let length = 0;
  while (length < british.length && british[length] === american[length]) length++;
  return british.slice(0, length);
};

/**
 * The word and its other spellings, as words the engines' own stemmers take apart ("quantized" →
 * quantized, quantisation): they know nothing of British spelling. Only words that begin like the
 * pair are respelled, as Porter also stems "generation" like "generalization".
 */
export function spellingsOf(word: string): string[] {
  const variants = [word];
  for (const pair of spellings) {
    if (!word.startsWith(commonPrefix(pair)) || stemOf(word) !== stemOf(pair[1])) continue;
    for (const other of pair) if (!variants.some((known) => stemmer(known) === stemmer(other))) variants.push(other);
  }
  return variants;
}

/** The phrases of `notMeant` as stems, with the stem (and its offset in the phrase) they take the meaning from. */
export const idioms: readonly { stems: readonly string[]; offset: number }[] = notMeant.map(({ phrase, word }) => {
  const form = formOf(phrase);
  return { stems: form.stems, offset: form.stems.indexOf(stemOf(word)) };
});
