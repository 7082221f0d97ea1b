import type { Edition } from '../editions/index.js';
import { type Audience, dailyAudience, type Ledger } from '../ledger/index.js';
import { isWeekKey } from '../papers/index.js';
import type { Personalizer } from './personal.js';

/**
 * Who of the list gets this edition: weekly readers the weekly roundup; daily readers the daily
 * edition, and `alerts` readers too when one of their saved searches finds a paper in it. Each
 * distinct set of searches is scored once, whatever the number of readers who share it.
 */
export async function editionAudience(edition: Edition, ledger: Ledger, personalizer: Personalizer): Promise<{ audience: Audience; skippedNoMatch: number }> {
  if (isWeekKey(edition.day)) return { audience: { frequencies: ['weekly'], alertSets: [] }, skippedNoMatch: 0 };
  const alertSets: string[] = [];
  let skippedNoMatch = 0;
  for (const set of await ledger.alertSets(edition.list)) {
    if (personalizer.matches(JSON.parse(set.alerts) as string[])) alertSets.push(set.alerts);
    else skippedNoMatch += set.readers;
  }
  return { audience: { ...dailyAudience, alertSets }, skippedNoMatch };
}
