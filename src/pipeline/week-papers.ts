import type { Config } from '../config/index.js';
import { isPaperboyError, messageOf, PaperboyError } from '../errors.js';
import { comparePapers, createSource, type Paper, type PaperArchive, type SkippedItem, selectPapers, weekDays } from '../papers/index.js';

export interface WeekPapers {
  sourceName: string;
  /** The week's most upvoted papers, each once, best first. */
  papers: Paper[];
  skipped: SkippedItem[];
  /** Days whose feed could not be read (a broken file): the rest of the week still counts. */
  unreadableDays: { day: string; reason: string }[];
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
  const unreadableDays: WeekPapers['unreadableDays'] = [];
  for (const day of weekDays(week)) {
    let feed: Awaited<ReturnType<typeof source.fetchDay>>;
    try {
      feed = await source.fetchDay(day);
    } catch (error) {
      // A malformed day is the feed's fault and stays so; a source that cannot be reached is worth a retry, so it stops the run.
      if (isPaperboyError(error) && error.code === 'FEED') {
        unreadableDays.push({ day, reason: messageOf(error) });
        continue;
      }
      throw error;
    }
    await archive?.keepDay(day, source.name, feed.papers);
    skipped.push(...feed.skipped);
    const { papers } = selectPapers(feed.papers, day, { top: Number.MAX_SAFE_INTEGER, minUpvotes: config.selection.minUpvotes });
    for (const paper of papers) {
      const known = byId.get(paper.id);
      byId.set(paper.id, known ? { ...known, upvotes: Math.max(known.upvotes, paper.upvotes), comments: Math.max(known.comments, paper.comments) } : paper);
    }
  }
  if (unreadableDays.length === 7) throw new PaperboyError('FEED', `No day of ${week} could be read: ${unreadableDays[0]!.reason}`);
  const papers = [...byId.values()].sort(comparePapers).slice(0, config.selection.weeklyTop);
  return { sourceName: source.name, papers, skipped, unreadableDays };
}
