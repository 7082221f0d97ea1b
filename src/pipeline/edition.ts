import type { Config } from '../config/index.js';
import type { Edition, EditionStore } from '../editions/index.js';
import { createSource, editionDay, isWeekKey, type Paper, type PaperArchive, parseDay, type SkippedItem } from '../papers/index.js';
import { loadTemplates, templateFiles, weeklyTemplateFiles } from '../render/index.js';
import { loadDayPapers } from './day-papers.js';
import { type LeftOutDay, loadWeekPapers } from './week-papers.js';

export type EditionOutcome =
  | { kind: 'resumed'; edition: Edition }
  | { kind: 'created'; edition: Edition; skipped: SkippedItem[]; droppedAsRecent: number; leftOutDays: LeftOutDay[] }
  | { kind: 'no-papers'; day: string; source: string; skipped: SkippedItem[]; droppedAsRecent: number; leftOutDays: LeftOutDay[] };

/** The edition date a command means: --date, else the single day of a dated file, else the config's rule. */
export async function resolveDay(config: Readonly<Config>, date: string | undefined, now: Date): Promise<string> {
  if (date) return parseDay(date);
  const source = await createSource(config.source, config.hf);
  return source.onlyDay ?? editionDay(now, config.timezone, config.editionDay);
}

/** What a new edition of `key` holds: a day's selection (without the list's recent papers), or a week's top papers; every day read goes into `archive`. */
async function gatherPapers(config: Readonly<Config>, editions: EditionStore, list: string, key: string, archive: PaperArchive | undefined) {
  if (isWeekKey(key)) {
    const week = await loadWeekPapers(config, key, archive);
    return { papers: week.papers, sourceName: week.sourceName, skipped: week.skipped, droppedAsRecent: 0, leftOutDays: week.leftOutDays };
  }
  const recentlyFeatured = await editions.recentPaperIds(list, key, config.selection.skipRecentDays);
  const dayPapers = await loadDayPapers(config, { date: key, recentlyFeatured, ...(archive ? { archive } : {}) });
  const { papers, droppedAsRecent } = dayPapers.selection;
  return { papers: papers as Paper[], sourceName: dayPapers.sourceName, skipped: dayPapers.feed.skipped, droppedAsRecent, leftOutDays: [] };
}

/**
 * The edition for (list, day) — `day` a date, or an ISO week ("2026-W34") for the weekly roundup:
 * the stored one when it exists (its papers and templates frozen, so a resumed send looks exactly
 * like the first half), else a new one from the source, whose days go whole into `archive` (not
 * when nothing is to be kept: `persist: false`).
 */
export async function createOrResumeEdition(
  config: Readonly<Config>,
  editions: EditionStore,
  options: { list: string; day: string; persist?: boolean; archive?: PaperArchive },
): Promise<EditionOutcome> {
  const existing = await editions.find(options.list, options.day);
  if (existing) return { kind: 'resumed', edition: existing };
  const archive = options.persist === false ? undefined : options.archive;
  const { papers, sourceName, skipped, droppedAsRecent, leftOutDays } = await gatherPapers(config, editions, options.list, options.day, archive);
  if (papers.length === 0) return { kind: 'no-papers', day: options.day, source: sourceName, skipped, droppedAsRecent, leftOutDays };
  const templates = await loadTemplates(config.templates, isWeekKey(options.day) ? weeklyTemplateFiles : templateFiles);
  const frozen = { list: options.list, day: options.day, source: sourceName, papers, templates: templates.sources, templatesVersion: templates.version };
  const made = { skipped, droppedAsRecent, leftOutDays };
  if (options.persist === false) return { kind: 'created', edition: { ...frozen, id: 0, createdAt: new Date().toISOString() }, ...made };
  // Senders racing on a shared store may all get here: only the one whose insert made the edition created it.
  const stored = await editions.create(frozen);
  return stored.created ? { kind: 'created', edition: stored.edition, ...made } : { kind: 'resumed', edition: stored.edition };
}
