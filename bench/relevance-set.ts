/**
 * The relevance set (test/fixtures/relevance-set.json) and how the alert matcher measures against
 * it: test/search/relevance-set.test.ts asserts the figures, `npm run bench:search` prints them.
 * Precision: of the papers an alert would send, how many are about the query; recall: of the
 * papers about it, how many it sends.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Paper } from '../src/papers/index.js';
import { PaperIndex } from '../src/search/index.js';

export interface Judgment {
  query: string;
  day: string;
  paper: string;
  relevant: boolean;
  why?: string;
  /** The second, blind reader's judgment, where it differs: the paper is borderline. */
  second?: { relevant: boolean; why: string };
}

export interface RelevanceSet {
  about: string;
  queries: { query: string; about: string }[];
  judgments: Judgment[];
}

export interface Measured {
  found: number;
  wrong: number;
  missed: number;
  precision: number;
  recall: number;
}

/** What precision and recall each query should reach (the bar). */
export const relevanceTarget = 0.9;

export const readRelevanceSet = (fixturesRoot: string): RelevanceSet =>
  JSON.parse(readFileSync(join(fixturesRoot, 'relevance-set.json'), 'utf8')) as RelevanceSet;

/** Judgments both readers agree on: a borderline paper counts neither way. */
export const agreed = (judgment: Judgment) => !judgment.second;
export const everyJudgment = () => true;

/** Measures the alert matcher on every judged day, each day's papers indexed once. */
export function relevanceMeter(set: RelevanceSet, papersOf: (day: string) => readonly Paper[]) {
  const days = [...new Set(set.judgments.map((judgment) => judgment.day))].sort();
  const indexes = new Map(days.map((day) => [day, new PaperIndex(papersOf(day))]));
  return {
    days,
    measure(query: string, judged: (judgment: Judgment) => boolean = agreed): Measured {
      let found = 0;
      let wrong = 0;
      let missed = 0;
      for (const day of days) {
        const sent = new Set(
          indexes
            .get(day)!
            .score(query)
            .map((hit) => hit.paper.id),
        );
        for (const judgment of set.judgments.filter((each) => each.query === query && each.day === day && judged(each))) {
          if (judgment.relevant && sent.has(judgment.paper)) found++;
          else if (sent.has(judgment.paper)) wrong++;
          else if (judgment.relevant) missed++;
        }
      }
      // No paper sent: nothing wrong was sent. No paper relevant: nothing was missed.
      return { found, wrong, missed, precision: found + wrong ? found / (found + wrong) : 1, recall: found + missed ? found / (found + missed) : 1 };
    },
  };
}
