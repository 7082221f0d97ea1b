import type { Edition } from '../editions/index.js';
import { isWeekKey, type Paper, type PaperArchive, weekDays } from '../papers/index.js';

/**
 * What saved-search alerts search for an edition: every paper kept of its day (or its week's
 * days), not only the few the edition shows; the edition's own papers too, whatever the archive
 * holds (an edition made before the archive was). Most upvoted first.
 */
export async function alertPapers(archive: PaperArchive, edition: Edition): Promise<Paper[]> {
  const days = isWeekKey(edition.day) ? weekDays(edition.day) : [edition.day];
  const byId = new Map(edition.papers.map((paper) => [paper.id, paper]));
  for (const day of days) for (const paper of await archive.papersOfDay(day)) if (!byId.has(paper.id)) byId.set(paper.id, paper);
  return [...byId.values()].sort((a, b) => b.upvotes - a.upvotes || (a.id < b.id ? -1 : 1));
}
