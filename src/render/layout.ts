import type { PaperView } from './view.js';

/** Gmail clips a message whose HTML passes 102 KB, hiding everything after the cut: the footer with the unsubscribe link first. */
export const gmailClipBytes = 102 * 1024;
/** What a digest's HTML may use: under the clip, with room for what Gmail adds to a message itself. */
export const htmlBudgetBytes = 100 * 1024;

/** How a digest shows its papers: full cards, then compact rows, then only a count (they are in the web edition). */
export interface DigestLayout {
  cards: readonly PaperView[];
  compact: readonly PaperView[];
  omitted: number;
}

export const allCards = (papers: readonly PaperView[]): DigestLayout => ({ cards: papers, compact: [], omitted: 0 });

/** The largest n in [low, high) for which `fits` holds, given that it holds for `low` and not for `high`. */
function largestFitting(low: number, high: number, fits: (n: number) => boolean): number {
  while (high - low > 1) {
    const middle = (low + high) >>> 1;
    if (fits(middle)) low = middle;
    else high = middle;
  }
  return low;
}

/**
 * The richest layout whose HTML fits the budget: every paper as a card when they all fit; else as
 * many cards as fit with the rest as compact rows; else as many compact rows as fit and a count of
 * the rest. `measure` renders a layout and returns its HTML size in bytes; only a layout it measured
 * within budget is returned (unless not even an empty digest fits, which no paper can fix).
 */
export function fitLayout(papers: readonly PaperView[], measure: (layout: DigestLayout) => number, budget: number): DigestLayout {
  const withCards = (count: number): DigestLayout => ({ cards: papers.slice(0, count), compact: papers.slice(count), omitted: 0 });
  const withRows = (count: number): DigestLayout => ({ cards: [], compact: papers.slice(0, count), omitted: papers.length - count });
  const fits = (layout: DigestLayout) => measure(layout) <= budget;

  const n = papers.length;
  if (fits(allCards(papers))) return allCards(papers);
  if (fits(withCards(0))) return withCards(largestFitting(0, n, (count) => fits(withCards(count))));
  if (!fits(withRows(0))) return withRows(0);
  return withRows(largestFitting(0, n, (count) => fits(withRows(count))));
}
