import type { Config } from '../config/index.js';
import { createSource, type KeptDay, type PaperArchive, type SkippedItem } from '../papers/index.js';
import { resolveDay } from './edition.js';

export interface ArchivedDay {
  day: string;
  source: string;
  papers: number;
  kept: KeptDay;
  skipped: SkippedItem[];
}

/** `papers fetch`: one day from the source, every paper of it kept in the archive; `date` as a send reads it. */
export async function archiveDay(config: Readonly<Config>, archive: PaperArchive, date: string | undefined, now = new Date()): Promise<ArchivedDay> {
  const day = await resolveDay(config, date, now);
  const source = await createSource(config.source, config.hf);
  const feed = await source.fetchDay(day);
  const kept = await archive.keepDay(day, source.name, feed.papers);
  return { day, source: source.name, papers: feed.papers.length, kept, skipped: feed.skipped };
}
