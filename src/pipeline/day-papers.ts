import type { Config } from '../config/index.js';
import { createSource, editionDay, type FeedDay, type PaperArchive, parseDay, type Selection, selectPapers } from '../papers/index.js';

export interface DayPapers {
  day: string;
  sourceName: string;
  feed: FeedDay;
  selection: Selection;
}

export interface DayPapersOptions {
  /** YYYY-MM-DD; defaults to the only day of a single-file source, else the config's edition-day rule. */
  date?: string;
  now?: Date;
  /** Paper ids featured in recent editions (filled by the edition store). */
  recentlyFeatured?: ReadonlySet<string>;
  /** Where to keep every paper the source returned for the day (the papers archive), before any is selected. */
  archive?: PaperArchive;
}

/** Source → normalized feed → selection: everything up to (not including) rendering. */
export async function loadDayPapers(config: Readonly<Config>, options: DayPapersOptions = {}): Promise<DayPapers> {
  const source = await createSource(config.source, config.hf);
  const day = options.date ? parseDay(options.date) : (source.onlyDay ?? editionDay(options.now ?? new Date(), config.timezone, config.editionDay));
  const feed = await source.fetchDay(day);
  await options.archive?.keepDay(day, source.name, feed.papers);
  const selection = selectPapers(feed.papers, day, {
    top: config.selection.top,
    minUpvotes: config.selection.minUpvotes,
    ...(options.recentlyFeatured ? { recentlyFeatured: options.recentlyFeatured } : {}),
  });
  return { day, sourceName: source.name, feed, selection };
}
