import { clauseCount, clauseMentions, clauseStems, type FieldText, fieldText } from './match.js';
import { type Field, type Query, type QueryClause, parseQuery } from './query.js';

/**
 * Relevance of an edition's papers to a reader's searches (saved-search alerts, topics): each
 * query (query.ts) is matched against each paper's title, summary and keywords, and the papers it
 * matches are ranked by BM25, title weighing three times and keywords twice as much as the
 * summary. A clause of the query is one BM25 term, its synonyms and spellings counted together.
 *
 * A paper matches when it is about what the search names, not when it mentions it once in
 * passing: each clause must be in the title or the keywords, or named twice in the summary, where
 * a phrase of several words ("mixture of experts", "context length") counts twice and a synonym
 * adds to its entry ("Mixture-of-Experts (MoE)" is four). Measured on
 * test/fixtures/relevance-set.json (docs/queries.md).
 */

/** What the summary alone must weigh (clauseMentions) for a paper to be about a clause. */
export const summaryMentions = 2;

// BM25's usual constants: term frequency saturates (k1), long fields count a little less (b).
const k1 = 1.2;
const b = 0.75;
const fields: readonly Field[] = ['title', 'keywords', 'summary'];

/** What relevance reads of a paper (a Paper, or a view of one carrying these fields). */
export interface Searchable {
  title: string;
  summary: string;
  keywords: readonly string[];
}

export interface ScoredPaper<T = Searchable> {
  paper: T;
  score: number;
  /** The stems of the query words found in the paper (synonyms included): what is marked. */
  matched: string[];
}

interface IndexedPaper<T> {
  paper: T;
  order: number;
  fields: Record<Field, FieldText>;
}

type ClauseHit = { counts: Record<Field, number> };

/** An edition's papers, indexed once; score() as often as there are distinct queries. */
export class PaperIndex<T extends Searchable = Searchable> {
  private readonly papers: IndexedPaper<T>[];
  private readonly averageLength: Record<Field, number>;

  constructor(papers: readonly T[]) {
    this.papers = papers.map((paper, order) => ({
      paper,
      order,
      fields: { title: fieldText(paper.title), keywords: fieldText(paper.keywords.join('; ')), summary: fieldText(paper.summary) },
    }));
    const average = (field: Field) => this.papers.reduce((sum, indexed) => sum + indexed.fields[field].length, 0) / Math.max(1, this.papers.length) || 1;
    this.averageLength = { title: average('title'), keywords: average('keywords'), summary: average('summary') };
  }

  /**
   * The papers the query matches (every clause, in any field), best first: those whose title or
   * keywords answer every clause before those found only in the summary, then by BM25F (per field
   * the count is length-normalised and weighted, then saturated), ties in the edition's order.
   */
  score(text: string): ScoredPaper<T>[] {
    return this.rank(this.hits(parseQuery(text)));
  }

  /**
   * Several queries at once (a reader's alerts): a paper's score is the sum of its scores for
   * each query, so a paper that answers two searches ranks above one that answers one.
   */
  scoreAll(queries: readonly string[]): ScoredPaper<T>[] {
    const byPaper = new Map<IndexedPaper<T>, Hit<T>>();
    for (const text of queries) {
      for (const hit of this.hits(parseQuery(text))) {
        const known = byPaper.get(hit.indexed);
        byPaper.set(
          hit.indexed,
          known
            ? { ...known, score: known.score + hit.score, matched: [...new Set([...known.matched, ...hit.matched])], titled: known.titled || hit.titled }
            : hit,
        );
      }
    }
    return this.rank([...byPaper.values()]);
  }

  private rank(hits: Hit<T>[]): ScoredPaper<T>[] {
    return hits
      .sort((x, y) => Number(y.titled) - Number(x.titled) || y.score - x.score || x.indexed.order - y.indexed.order)
      .map(({ indexed, score, matched }) => ({ paper: indexed.paper, score, matched }));
  }

  private hits(query: Query): Hit<T>[] {
    if (query.clauses.length === 0) return [];
    const perClause = query.clauses.map((clause) => this.clauseHits(clause, query));
    const n = this.papers.length;
    const hits: Hit<T>[] = [];
    this.papers.forEach((indexed, paperIndex) => {
      const found = perClause.map((clause) => clause.hits[paperIndex]);
      if (found.some((hit) => !hit)) return;
      let score = 0;
      query.clauses.forEach((_, clauseIndex) => {
        const counts = found[clauseIndex]!.counts;
        const weighted = fields.reduce(
          (sum, field) => sum + (query.fieldWeights[field] * counts[field]) / (1 - b + (b * indexed.fields[field].length) / this.averageLength[field]),
          0,
        );
        const df = perClause[clauseIndex]!.documentFrequency;
        score += (Math.log(1 + (n - df + 0.5) / (df + 0.5)) * weighted * (k1 + 1)) / (weighted + k1);
      });
      const titled = found.every((hit) => hit!.counts.title + hit!.counts.keywords > 0);
      const matched = [...new Set(query.clauses.flatMap((clause) => fields.flatMap((field) => clauseStems(clause, indexed.fields[field], query.proximity))))];
      hits.push({ indexed, score, matched, titled });
    });
    return hits;
  }

  private clauseHits(clause: QueryClause, query: Query): { hits: (ClauseHit | undefined)[]; documentFrequency: number } {
    let documentFrequency = 0;
    const hits = this.papers.map((indexed) => {
      const counts = { title: 0, keywords: 0, summary: 0 };
      for (const field of fields) counts[field] = clauseCount(clause, indexed.fields[field], query.proximity);
      if (counts.title + counts.keywords === 0 && clauseMentions(clause, indexed.fields.summary, query.proximity) < summaryMentions) return undefined;
      documentFrequency++;
      return { counts };
    });
    return { hits, documentFrequency };
  }
}

interface Hit<T> {
  indexed: IndexedPaper<T>;
  score: number;
  matched: string[];
  titled: boolean;
}
