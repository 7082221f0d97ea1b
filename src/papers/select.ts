import type { Paper } from './paper.js';

export interface SelectionOptions {
  top: number;
  minUpvotes: number;
  /** Ids featured in recent editions: the seam the edition store fills so papers are not repeated. */
  recentlyFeatured?: ReadonlySet<string>;
}

export interface Selection {
  papers: Paper[];
  /** How many of the day's papers were left out, and why. */
  droppedAsRecent: number;
  droppedBelowMinimum: number;
}

/** Most upvotes first; ties broken by comments, then by id, so the same feed always ranks the same way. */
export function comparePapers(a: Paper, b: Paper): number {
  return b.upvotes - a.upvotes || b.comments - a.comments || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The papers of `day`, ranked, without recent repeats or those under the minimum, cut to the top N. */
export function selectPapers(papers: readonly Paper[], day: string, options: SelectionOptions): Selection {
  let droppedAsRecent = 0;
  let droppedBelowMinimum = 0;
  const kept = papers.filter((paper) => {
    if (paper.day !== day) return false;
    if (options.recentlyFeatured?.has(paper.id)) {
      droppedAsRecent++;
      return false;
    }
    if (paper.upvotes < options.minUpvotes) {
      droppedBelowMinimum++;
      return false;
    }
    return true;
  });
  return { papers: kept.sort(comparePapers).slice(0, options.top), droppedAsRecent, droppedBelowMinimum };
}
