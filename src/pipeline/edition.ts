import type { Config } from '../config/index.js';
import type { Edition, EditionStore } from '../editions/index.js';
import { createSource, editionDay, parseDay, type SkippedItem } from '../papers/index.js';
import { loadTemplates } from '../render/index.js';
import { loadDayPapers } from './day-papers.js';

export type EditionOutcome =
  | { kind: 'resumed'; edition: Edition }
  | { kind: 'created'; edition: Edition; skipped: SkippedItem[]; droppedAsRecent: number }
  | { kind: 'no-papers'; day: string; source: string; skipped: SkippedItem[]; droppedAsRecent: number };

/** The edition date a command means: --date, else the single day of a dated file, else the config's rule. */
export async function resolveDay(config: Readonly<Config>, date: string | undefined, now: Date): Promise<string> {
  if (date) return parseDay(date);
  const source = await createSource(config.source, config.hf);
  return source.onlyDay ?? editionDay(now, config.timezone, config.editionDay);
}

/**
 * The edition for (list, day): the stored one when it exists (its papers and templates frozen,
 * so a resumed send looks exactly like the first half), else a new one from the source, without
 * papers featured in the list's recent editions.
 */
export async function createOrResumeEdition(
  config: Readonly<Config>,
  editions: EditionStore,
  options: { list: string; day: string; persist?: boolean },
): Promise<EditionOutcome> {
  const existing = await editions.find(options.list, options.day);
  if (existing) return { kind: 'resumed', edition: existing };
  const recentlyFeatured = await editions.recentPaperIds(options.list, options.day, config.selection.skipRecentDays);
  const dayPapers = await loadDayPapers(config, { date: options.day, recentlyFeatured });
  const { papers, droppedAsRecent } = dayPapers.selection;
  if (papers.length === 0) {
    return { kind: 'no-papers', day: options.day, source: dayPapers.sourceName, skipped: dayPapers.feed.skipped, droppedAsRecent };
  }
  const templates = await loadTemplates(config.templates);
  const frozen = { list: options.list, day: options.day, source: dayPapers.sourceName, papers, templates: templates.sources, templatesVersion: templates.version };
  const edition: Edition =
    options.persist === false
      ? { ...frozen, id: 0, createdAt: new Date().toISOString() }
      : await editions.create(frozen);
  return { kind: 'created', edition, skipped: dayPapers.feed.skipped, droppedAsRecent };
}
