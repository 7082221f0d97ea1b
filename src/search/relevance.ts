import { stemmer } from 'stemmer';
import { eng as englishStopWords } from 'stopword';

/**
 * Relevance of an edition's papers to a reader's words (saved-search alerts, topics): BM25 over
 * each paper's title, summary and keywords, with English stop words dropped and words stemmed
 * (Porter, via the `stemmer` package; stop words from `stopword`), so "agents" finds "agent" and
 * "searching" finds "search". Titles and keywords weigh more than the summary: a paper *about*
 * agents names them there.
 */

const stopWords = new Set(englishStopWords);
const fieldWeights = { title: 3, keywords: 2, summary: 1 } as const;
type Field = keyof typeof fieldWeights;
// BM25's usual constants: term frequency saturates (k1), long fields count a little less (b).
const k1 = 1.2;
const b = 0.75;

/** A word of the text, where it stands, and its stem (undefined for a stop word). */
export interface Token {
  text: string;
  start: number;
  stem?: string;
}

// Papers repeat their words (and readers their searches): each word is stemmed once. Bounded, as
// a long-running scheduler sees new words every day.
const stems = new Map<string, string>();
function stemOf(lower: string): string {
  let stem = stems.get(lower);
  if (stem === undefined) {
    if (stems.size > 50_000) stems.clear();
    stems.set(lower, (stem = stemmer(lower)));
  }
  return stem;
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu)) {
    const lower = match[0].toLowerCase();
    tokens.push({ text: match[0], start: match.index!, ...(stopWords.has(lower) ? {} : { stem: stemOf(lower) }) });
  }
  return tokens;
}

/** The stems a query asks for, once each, in order. */
export const queryStems = (query: string): string[] => [...new Set(tokenize(query).flatMap((token) => (token.stem ? [token.stem] : [])))];

/** What relevance reads of a paper (a Paper, or a view of one carrying these fields). */
export interface Searchable {
  title: string;
  summary: string;
  keywords: readonly string[];
}

interface IndexedPaper<T> {
  paper: T;
  fields: Record<Field, Map<string, number>>;
  lengths: Record<Field, number>;
}

function countStems(text: string): { counts: Map<string, number>; length: number } {
  const counts = new Map<string, number>();
  let length = 0;
  for (const token of tokenize(text)) {
    if (!token.stem) continue;
    counts.set(token.stem, (counts.get(token.stem) ?? 0) + 1);
    length++;
  }
  return { counts, length };
}

export interface ScoredPaper<T = Searchable> {
  paper: T;
  score: number;
  /** The query stems this paper contains. */
  matched: string[];
}

/** An edition's papers, indexed once; score() as often as there are distinct queries. */
export class PaperIndex<T extends Searchable = Searchable> {
  private readonly papers: IndexedPaper<T>[];
  private readonly averageLength: Record<Field, number>;
  private readonly documentFrequency = new Map<string, number>();

  constructor(papers: readonly T[]) {
    this.papers = papers.map((paper) => {
      const title = countStems(paper.title);
      const summary = countStems(paper.summary);
      const keywords = countStems(paper.keywords.join(' '));
      return {
        paper,
        fields: { title: title.counts, summary: summary.counts, keywords: keywords.counts },
        lengths: { title: title.length, summary: summary.length, keywords: keywords.length },
      };
    });
    const average = (field: Field) => this.papers.reduce((sum, indexed) => sum + indexed.lengths[field], 0) / Math.max(1, this.papers.length) || 1;
    this.averageLength = { title: average('title'), summary: average('summary'), keywords: average('keywords') };
    for (const indexed of this.papers) {
      const stems = new Set([...indexed.fields.title.keys(), ...indexed.fields.summary.keys(), ...indexed.fields.keywords.keys()]);
      for (const stem of stems) this.documentFrequency.set(stem, (this.documentFrequency.get(stem) ?? 0) + 1);
    }
  }

  /**
   * The papers that contain every word of the query (in any of the fields, in any form), best
   * first (ties: the edition's order). Every word, not any: a saved search for "reinforcement
   * learning agents" must not fire on every paper that says "learning".
   * BM25F-style: per field, the term frequency is length-normalised and weighted, then saturated.
   */
  score(query: string): ScoredPaper<T>[] {
    return this.scoreStems(queryStems(query));
  }

  /**
   * Several queries at once (a reader's alerts): a paper's score is the sum of its scores for
   * each query, so a paper that answers two searches ranks above one that answers one.
   */
  scoreAll(queries: readonly string[]): ScoredPaper<T>[] {
    const byPaper = new Map<T, ScoredPaper<T> & { order: number }>();
    for (const query of queries) {
      for (const hit of this.score(query)) {
        const known = byPaper.get(hit.paper);
        if (known) byPaper.set(hit.paper, { ...known, score: known.score + hit.score, matched: [...new Set([...known.matched, ...hit.matched])] });
        else byPaper.set(hit.paper, { ...hit, order: this.papers.findIndex((indexed) => indexed.paper === hit.paper) });
      }
    }
    return [...byPaper.values()].sort((x, y) => y.score - x.score || x.order - y.order).map(({ order: _order, ...rest }) => rest);
  }

  private scoreStems(stems: readonly string[]): ScoredPaper<T>[] {
    const n = this.papers.length;
    const scored: (ScoredPaper<T> & { order: number })[] = [];
    this.papers.forEach((indexed, order) => {
      let score = 0;
      const matched: string[] = [];
      for (const stem of stems) {
        let weighted = 0;
        for (const field of Object.keys(fieldWeights) as Field[]) {
          const frequency = indexed.fields[field].get(stem) ?? 0;
          if (frequency === 0) continue;
          weighted += (fieldWeights[field] * frequency) / (1 - b + (b * indexed.lengths[field]) / this.averageLength[field]);
        }
        if (weighted === 0) continue;
        const df = this.documentFrequency.get(stem) ?? 0;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        score += (idf * weighted * (k1 + 1)) / (weighted + k1);
        matched.push(stem);
      }
      if (matched.length > 0 && matched.length === stems.length) scored.push({ paper: indexed.paper, score, matched, order });
    });
    return scored.sort((x, y) => y.score - x.score || x.order - y.order).map(({ order: _order, ...rest }) => rest);
  }
}

/** Text cut into runs, the words whose stems are in `stems` marked: templates bold them, escaped. */
export function markWords(text: string, stems: ReadonlySet<string>): { text: string; hit: boolean }[] {
  const parts: { text: string; hit: boolean }[] = [];
  let at = 0;
  for (const token of tokenize(text)) {
    if (!token.stem || !stems.has(token.stem)) continue;
    if (token.start > at) parts.push({ text: text.slice(at, token.start), hit: false });
    parts.push({ text: token.text, hit: true });
    at = token.start + token.text.length;
  }
  if (at < text.length) parts.push({ text: text.slice(at), hit: false });
  return parts;
}
