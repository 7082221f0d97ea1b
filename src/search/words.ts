import { stemmer } from 'stemmer';
import { eng as englishStopWords } from 'stopword';
import { modelFamilies, spellings } from './synonyms.js';

/**
 * Text cut into words the way search sees them, for papers and queries alike. A word is a run of
 * letters and digits: hyphens, apostrophes and every other mark split words, so
 * "Mixture-of-Experts" is mixture, of, experts and "Multi-Agent" holds agent. That is also how
 * SQLite FTS5's `unicode61` tokenizer cuts text, so the stores' full-text search and alerts agree.
 *
 * Words are lower-cased, lose their accents ("Pokémon" → pokemon, as unicode61 does) and are
 * stemmed with Porter (the `stemmer` package, as FTS5's `porter` tokenizer; PostgreSQL's
 * `english` configuration uses Snowball's English stemmer, Porter's successor, which agrees on
 * nearly every word). British spellings in the thesaurus (synonyms.ts) are folded into the
 * American stem, which neither engine does: the query translators spell both instead.
 */

// English stop words (`stopword`), plus those in PostgreSQL's `english` list that it lacks: a word
// one engine drops and another requires would make the stores disagree about a query.
const postgresOnlyStopWords =
  'myself ours ourselves yours yourself yourselves she hers herself its itself theirs themselves whom having does doing until against during above below down off again further once when why few no nor not own so s t will just don';
const stopWords = new Set([...englishStopWords, ...postgresOnlyStopWords.split(' ')]);

/** The Porter stem of each British spelling in the thesaurus, to its American twin's ("quantis" → "quantiz"). */
const spellingStems = new Map(
  spellings.map(([british, american]): [string, string] => [porterStem(british), porterStem(american)]).filter(([british, american]) => british !== american),
);

/** A word of a text: as written, where it starts, its place among the words, and its stem (none for a stop word). */
export interface Token {
  text: string;
  start: number;
  /** Counts every word, stop words included, as FTS5 and PostgreSQL count positions. */
  position: number;
  /** Lower-cased as written (accents kept: the engines fold them, or not, themselves). */
  word: string;
  stem?: string;
  /** What a compound also stands for, at its place ("GraphRAG" for "RAG", "Qwen3" for "Qwen"). */
  alias?: true;
}

/**
 * Porter, with one family taken apart: it stems general, generic and generation alike ("gener"),
 * so "video generation" found "a video benchmark for general AI". Snowball (PostgreSQL) already
 * keeps them apart; FTS5's Porter does not.
 */
function porterStem(word: string): string {
  const stem = stemmer(word);
  if (stem !== 'gener') return stem;
  return ['general', 'generic', 'generous'].find((kept) => word.startsWith(kept)) ?? 'generat';
}

// Papers repeat their words (and readers their searches): each word is stemmed once. Bounded, as a
// long-running scheduler sees new words every day.
const stems = new Map<string, string>();
export function stemOf(word: string): string {
  let stem = stems.get(word);
  if (stem === undefined) {
    if (stems.size > 50_000) stems.clear();
    const porter = porterStem(word);
    stems.set(word, (stem = spellingStems.get(porter) ?? porter));
  }
  return stem;
}

/** A word as search compares it: lower-case, accents gone ("Pokémon" → pokemon, as FTS5's unicode61). */
const normalizeWord = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();

// "GraphRAG", "VideoLLMs", "HippoRAG": a capitalised word ending in an acronym of two capitals or
// more is also that acronym, so a search for RAG finds GraphRAG. The part before it must read as a
// word (a lower-case letter): "3DGS" is not "DGS".
const acronymSuffix = /^\p{Lu}?[\p{Ll}\p{N}]+(?:\p{Lu}[\p{Ll}\p{N}]+)*(\p{Lu}{2,}s?)$/u;

/** The acronym a compound word ends with ("GraphRAG" → "RAG"), if it ends with one. */
export function compoundAcronym(text: string): string | undefined {
  const acronym = acronymSuffix.exec(text)?.[1];
  return acronym && /\p{Ll}/u.test(text.slice(0, -acronym.length)) ? acronym : undefined;
}

// "Qwen3", "Llama2", "InternLM2", "GPT4o": a model family's name run together with its version is
// also the family's name, so a search for Qwen (or, through the thesaurus, for LLM) finds it.
const familyVersion = new RegExp(`^(${modelFamilies.join('|')})\\d+\\p{L}?$`, 'iu');

/** The word a compound also stands for: the acronym it ends with ("GraphRAG" → "RAG") or its model family ("Qwen3" → "Qwen"). */
export function compoundAlias(text: string): string | undefined {
  return compoundAcronym(text) ?? familyVersion.exec(text)?.[1];
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  for (const match of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const folded = normalizeWord(match[0]);
    tokens.push({ text: match[0], start: match.index, position, word: match[0].toLowerCase(), ...(stopWords.has(folded) ? {} : { stem: stemOf(folded) }) });
    const alias = compoundAlias(match[0]);
    // The alias stands at the compound's own position: "GraphRAG pipeline" is as near to
    // "RAG pipeline" as it reads.
    if (alias) tokens.push({ text: match[0], start: match.index, position, word: alias.toLowerCase(), stem: stemOf(normalizeWord(alias)), alias: true });
    position++;
  }
  return tokens;
}

/** The stems a query asks for, once each, in order (no stop words). */
export const queryStems = (query: string): string[] => [...new Set(tokenize(query).flatMap((token) => (token.stem && !token.alias ? [token.stem] : [])))];
