import type { Config } from '../config/index.js';
import { isPaperboyError, messageOf, PaperboyError } from '../errors.js';
import { comparePapers, createSource, type Paper, type PaperArchive, type SkippedItem, selectPapers, weekDays } from '../papers/index.js';

/** A day of the week whose feed could not be read (a broken file), and why: the rest of the week still counts. */
export interface LeftOutDay {
  day: string;
  reason: string;
}

export interface WeekPapers {
  sourceName: string;
  /** The week's most upvoted papers, each once, best first. */
  papers: Paper[];
  skipped: SkippedItem[];
  leftOutDays: LeftOutDay[];
}

/**
 * Every day of an ISO week from the source, each paper once (a paper listed on several days keeps
 * its first day and its highest upvote count), ranked like a daily edition, cut to weeklyTop.
 * The recent-papers rule does not apply: weekly readers got none of the daily editions. Each day
 * read is kept whole in `archive` when one is given.
 */
export async function loadWeekPapers(config: Readonly<Config>, week: string, archive?: PaperArchive): Promise<WeekPapers> {
  const source = await createSource(config.source, config.hf);
  const byId = new Map<string, Paper>();
  const skipped: SkippedItem[] = [];
  const leftOutDays: LeftOutDay[] = [];
  let daysWithPapers = 0;
  for (const day of weekDays(week)) {
    let feed: Awaited<ReturnType<typeof source.fetchDay>>;
    try {
      feed = await source.fetchDay(day);
    } catch (error) {
      // A malformed day is the feed's fault and stays so; a source that cannot be reached is worth a retry, so it stops the run.
      if (isPaperboyError(error) && error.code === 'FEED') {
        leftOutDays.push({ day, reason: messageOf(error) });
        continue;
      }
      throw error;
    }
    await archive?.keepDay(day, source.name, feed.papers);
    skipped.push(...feed.skipped);
    if (feed.papers.length > 0) daysWithPapers++;
    const { papers } = selectPapers(feed.papers, day, { top: Number.MAX_SAFE_INTEGER, minUpvotes: config.selection.minUpvotes });
    for (const paper of papers) {
      const known = byId.get(paper.id);
      byId.set(paper.id, known ? { ...known, upvotes: Math.max(known.upvotes, paper.upvotes), comments: Math.max(known.comments, paper.comments) } : paper);
    }
  }
  // Only broken days and empty ones (a weekend, a day without a file): the week's papers are in the
  // broken ones, so it fails as a daily send on a broken day does rather than say "no papers".
  if (daysWithPapers === 0 && leftOutDays.length > 0) {
    const each = leftOutDays.map(({ day, reason }) => `${day}: ${reason}`).join(' ');
    throw new PaperboyError('FEED', `${week} has no readable day: ${each}`);
  }
  const papers = [...byId.values()].sort(comparePapers).slice(0, config.selection.weeklyTop);
  return { sourceName: source.name, papers, skipped, leftOutDays };
}
