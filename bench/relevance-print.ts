import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeFeed } from '../src/papers/index.js';
import { agreed, everyJudgment, readRelevanceSet, relevanceMeter, relevanceTarget } from './relevance-set.js';
import { verdict } from './report.js';

/** The alert matcher's precision and recall on the relevance set, query by query (docs/queries.md). */
export function printRelevance(fixturesRoot: string): void {
  const set = readRelevanceSet(fixturesRoot);
  const papersOf = (day: string) => normalizeFeed(JSON.parse(readFileSync(join(fixturesRoot, 'hf-daily-papers', `${day}.json`), 'utf8')), day, day).papers;
  const meter = relevanceMeter(set, papersOf);
  console.log('');
  console.log(`Alerts on the relevance set (${meter.days.length} recorded days, every paper judged; borderline papers left out, every judgment in brackets):`);
  for (const { query } of set.queries) {
    const measured = meter.measure(query, agreed);
    const all = meter.measure(query, everyJudgment);
    verdict(
      query,
      measured.precision >= relevanceTarget && measured.recall >= relevanceTarget,
      `precision ${measured.precision.toFixed(2)}, recall ${measured.recall.toFixed(2)} (${all.precision.toFixed(2)}, ${all.recall.toFixed(2)}); ${measured.found} found, ${measured.wrong} wrong, ${measured.missed} missed`,
    );
  }
}
