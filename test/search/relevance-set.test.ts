/**
 * The alert matcher against the relevance set (test/fixtures/relevance-set.json): every query over
 * every paper of every recorded day, judged by reading, not by the matcher. Precision: of the
 * papers an alert would send, how many are about the query; recall: of the papers about it, how
 * many it sends. The figures are in each test's name and in docs/queries.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PaperIndex } from '../../src/search/index.js';
import { fixturesDir, projectRoot } from '../helpers/files.js';
import { fixturePapers } from '../helpers/papers.js';

interface Judgment {
  query: string;
  day: string;
  paper: string;
  relevant: boolean;
  why?: string;
}
const set = JSON.parse(readFileSync(join(fixturesDir, '..', 'relevance-set.json'), 'utf8')) as { queries: { query: string }[]; judgments: Judgment[] };

const target = 0.9;
/**
 * Queries the matcher does not yet bring to the target, each held at what it reaches so that it
 * can only get better; docs/queries.md says why each falls short. Raise a floor when the matcher
 * improves, and drop the entry once both figures reach the target.
 */
const shortfalls: Record<string, { precision: number; recall: number }> = {
  'long context': { precision: 0.7, recall: 1 },
  RAG: { precision: 1, recall: 0.5 },
  quantization: { precision: 0, recall: 1 },
  speech: { precision: 0.5, recall: 1 },
  LLM: { precision: 0.89, recall: 0.79 },
  'reinforcement learning': { precision: 0.89, recall: 1 },
  diffusion: { precision: 0.79, recall: 0.88 },
  reasoning: { precision: 0.63, recall: 0.93 },
  'code generation': { precision: 0.46, recall: 0.66 },
};

const days = [...new Set(set.judgments.map((judgment) => judgment.day))].sort();
const indexes = new Map(days.map((day) => [day, new PaperIndex(fixturePapers(day))]));

function measure(query: string) {
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
    for (const judgment of set.judgments.filter((each) => each.query === query && each.day === day)) {
      if (judgment.relevant && sent.has(judgment.paper)) found++;
      else if (sent.has(judgment.paper)) wrong++;
      else if (judgment.relevant) missed++;
    }
  }
  // No paper sent: nothing wrong was sent. No paper relevant: nothing was missed.
  return { found, wrong, missed, precision: found + wrong ? found / (found + wrong) : 1, recall: found + missed ? found / (found + missed) : 1 };
}

describe('the relevance set', () => {
  it('judges every paper of every recorded day once for every query', () => {
    const recorded = readFileSync(join(fixturesDir, 'README.md'), 'utf8');
    for (const day of days) expect(recorded).toContain(`${day}.json`);
    expect(days.length).toBeGreaterThanOrEqual(10);
    for (const { query } of set.queries) {
      for (const day of days) {
        const judged = set.judgments.filter((each) => each.query === query && each.day === day).map((each) => each.paper);
        expect(judged.sort(), `${query} on ${day}`).toEqual(
          fixturePapers(day)
            .map((paper) => paper.id)
            .sort(),
        );
      }
    }
  });

  describe.each(set.queries.map(({ query }) => ({ query, ...measure(query) })))('$query', ({ query, found, wrong, missed, precision, recall }) => {
    const figures = `precision ${precision.toFixed(2)}, recall ${recall.toFixed(2)} (${found} found, ${wrong} wrong, ${missed} missed)`;
    it('has these figures in docs/queries.md', () => {
      expect(readFileSync(join(projectRoot, 'docs', 'queries.md'), 'utf8')).toContain(
        `| ${query} | ${precision.toFixed(2)} | ${recall.toFixed(2)} | ${found} | ${wrong} | ${missed} |`,
      );
    });
    const floor = shortfalls[query];
    if (!floor) {
      it(`reaches the target: ${figures}`, () => {
        expect(precision).toBeGreaterThanOrEqual(target);
        expect(recall).toBeGreaterThanOrEqual(target);
      });
    } else {
      it(`falls short of ${target} and holds its ground: ${figures}`, () => {
        expect(precision).toBeGreaterThanOrEqual(floor.precision);
        expect(recall).toBeGreaterThanOrEqual(floor.recall);
        expect(Math.min(precision, recall), 'it reaches the target now: drop it from the shortfalls').toBeLessThan(target);
      });
    }
  });
});
