import type { PaperView } from '../render/index.js';
import type { Preferences } from '../subscribers/index.js';

const mentions = (paper: PaperView, topic: string) =>
  paper.keywords.some((keyword) => keyword.toLowerCase().includes(topic)) || paper.title.toLowerCase().includes(topic) || paper.blurb.toLowerCase().includes(topic);

/**
 * A subscriber's own paper list, from the edition's: papers on their topics first (in edition
 * order), then the rest, cut to their papers-per-digest. Undefined when it is the edition's list
 * as it is. Memoized per preference set: thousands of readers share a handful of them.
 */
export function personalPapers(papers: readonly PaperView[], preferences: Preferences, memo: Map<string, readonly PaperView[] | undefined>): readonly PaperView[] | undefined {
  const { topics, maxPapers } = preferences;
  if (topics.length === 0 && (!maxPapers || maxPapers >= papers.length)) return undefined;
  const key = `${topics.join(',')}|${maxPapers ?? ''}`;
  if (memo.has(key)) return memo.get(key);
  const onTopic = topics.length ? papers.filter((paper) => topics.some((topic) => mentions(paper, topic))) : [];
  const ordered = onTopic.length ? [...onTopic, ...papers.filter((paper) => !onTopic.includes(paper))] : papers;
  const cut = maxPapers && maxPapers < ordered.length ? ordered.slice(0, maxPapers) : ordered;
  const result = cut === papers ? undefined : cut;
  memo.set(key, result);
  return result;
}
