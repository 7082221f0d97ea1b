/**
 * The alert matcher against the relevance set (test/fixtures/relevance-set.json): every query over
 * every paper of every recorded day, judged by reading, not by the matcher. Precision: of the
 * papers an alert would send, how many are about the query; recall: of the papers about it, how
 * many it sends. Measured on the papers both readers judged alike: where a second, blind reading
 * differs (`second`), the paper is borderline and counts neither way; the figures over every
 * judgment are kept in docs/queries.md as well. The figures are in each test's name and in docs/queries.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agreed, everyJudgment, readRelevanceSet, relevanceMeter, relevanceTarget as target } from '../../bench/relevance-set.js';
import { fixturesDir, projectRoot } from '../helpers/files.js';
import { fixturePapers } from '../helpers/papers.js';

const set = readRelevanceSet(join(fixturesDir, '..'));
const meter = relevanceMeter(set, fixturePapers);
const days = meter.days;

/**
 * Queries the matcher does not yet bring to the target, each held at what it reaches so that it
 * can only get better; docs/queries.md says why each falls short. Raise a floor when the matcher
 * improves, and drop the entry once both figures reach the target.
 */
const shortfalls: Record<string, { precision: number; recall: number }> = {
  'long context': { precision: 0.75, recall: 1 },
  RAG: { precision: 1, recall: 0.5 },
  quantization: { precision: 0, recall: 1 },
  speech: { precision: 0.66, recall: 1 },
  diffusion: { precision: 0.85, recall: 0.88 },
  reasoning: { precision: 0.65, recall: 0.93 },
  'code generation': { precision: 0.6, recall: 0.66 },
};

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

  describe.each(set.queries.map(({ query }) => ({ query, ...meter.measure(query, agreed), all: meter.measure(query, everyJudgment) })))(
    '$query',
    ({ query, found, wrong, missed, precision, recall, all }) => {
      const figures = `precision ${precision.toFixed(2)}, recall ${recall.toFixed(2)} (${found} found, ${wrong} wrong, ${missed} missed)`;
      it('has these figures in docs/queries.md, with those over every judgment', () => {
        expect(readFileSync(join(projectRoot, 'docs', 'queries.md'), 'utf8')).toContain(
          `| ${query} | ${precision.toFixed(2)} | ${recall.toFixed(2)} | ${found} | ${wrong} | ${missed} | ${all.precision.toFixed(2)} | ${all.recall.toFixed(2)} |`,
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
    },
  );
});
