import { join } from 'node:path';
import type { Config } from '../config/index.js';
import { describeSkipped, isWeekKey, resolveWeek } from '../papers/index.js';
import { type DayPapers, type LeftOutDay, loadDayPapers, loadWeekPapers, type PreviewResult, writePreview } from '../pipeline/index.js';
import { normalizeAlerts } from '../subscribers/index.js';
import { commandConfig } from './context.js';
import type { GlobalOptions } from './flags.js';
import { formatBytes, print, printJson, warn } from './output.js';
import { shownPath } from './paths.js';
import type { PreviewOptions } from './register/index.js';

/** The weekly roundup's papers in the shape of a day's (a preview freezes nothing), and the days left out as broken. */
async function weekAsDayPapers(config: Readonly<Config>, date: string | undefined): Promise<{ dayPapers: DayPapers; leftOutDays: LeftOutDay[] }> {
  const week = resolveWeek(date, new Date(), config.timezone);
  const papers = await loadWeekPapers(config, week);
  for (const { day, reason } of papers.leftOutDays) warn(`${day} left out of the week: ${reason}`);
  const dayPapers = {
    day: week,
    sourceName: papers.sourceName,
    feed: { day: week, papers: [], skipped: papers.skipped },
    selection: { papers: papers.papers, droppedAsRecent: 0, droppedBelowMinimum: 0 },
  };
  return { dayPapers, leftOutDays: papers.leftOutDays };
}

/** "44.2 KB of its 100 KB budget (10 cards)" or "… (21 cards, 29 compact rows, 3 only in the web edition)". */
function describeBudget(budget: PreviewResult['budget']): string {
  const parts = [`${budget.cards} ${budget.cards === 1 ? 'card' : 'cards'}`];
  if (budget.compact) parts.push(`${budget.compact} compact ${budget.compact === 1 ? 'row' : 'rows'}`);
  if (budget.omitted) parts.push(`${budget.omitted} only in the web edition`);
  return `${formatBytes(budget.html)} of its ${formatBytes(budget.limit)} budget (${parts.join(', ')})`;
}

export async function runPreview(options: PreviewOptions, global: GlobalOptions): Promise<void> {
  const weekly = options.weekly === true || (options.date !== undefined && isWeekKey(options.date));
  const config = commandConfig(global, {
    source: options.source,
    [weekly ? 'selection.weeklyTop' : 'selection.top']: options.top,
    previewDir: options.out,
    templates: options.templates,
    timezone: options.timezone,
  });
  const alerts = options.alert ? normalizeAlerts(options.alert) : undefined;
  const { dayPapers, leftOutDays } = weekly
    ? await weekAsDayPapers(config, options.date)
    : { dayPapers: await loadDayPapers(config, options.date ? { date: options.date } : {}), leftOutDays: [] };
  for (const item of dayPapers.feed.skipped) warn(describeSkipped(item));
  const { day, selection } = dayPapers;
  if (selection.papers.length === 0) {
    if (options.json) printJson({ date: day, source: dayPapers.sourceName, papers: [], skipped: dayPapers.feed.skipped, leftOutDays });
    else print(`No papers for ${day} from ${dayPapers.sourceName}: no digest to preview.`);
    return;
  }
  const result = await writePreview(config, dayPapers, config.previewDir, { topics: [], ...(alerts ? { alerts } : {}) });
  const shots = options.screenshot ? await (await import('./screenshot.js')).screenshots(result.paths.html, join(result.paths.html, '..')) : [];
  if (result.clipped) warn(`digest.html is ${formatBytes(result.sizes.html)}: Gmail clips mail over 102 KB; show fewer papers (--top).`);
  if (options.json) {
    printJson({
      date: day,
      source: dayPapers.sourceName,
      subject: result.subject,
      papers: selection.papers.map((paper, index) => ({ rank: index + 1, id: paper.id, title: paper.title, upvotes: paper.upvotes })),
      skipped: dayPapers.feed.skipped,
      leftOutDays,
      sizes: result.sizes,
      budget: result.budget,
      paths: { ...result.paths, ...(shots.length ? { screenshots: shots } : {}) },
    });
    return;
  }
  const shown = (path: string) => shownPath(path, options.out ?? config.previewDir);
  print(`Digest for ${day}: ${selection.papers.length} ${selection.papers.length === 1 ? 'paper' : 'papers'} from ${dayPapers.sourceName}.`);
  print(`Subject: ${result.subject}`);
  print(`  ${shown(result.paths.html)}  (${formatBytes(result.sizes.html)})`);
  print(`  ${shown(result.paths.text)}  (${formatBytes(result.sizes.text)})`);
  print(`  ${shown(result.paths.eml)}  (${formatBytes(result.sizes.eml)})`);
  print(`  HTML uses ${describeBudget(result.budget)}.`);
  for (const shot of shots) print(`  ${shown(shot)}  (screenshot)`);
  print(`Open ${shown(result.paths.html)} in a browser, or ${shown(result.paths.eml)} in a mail client.`);
}
