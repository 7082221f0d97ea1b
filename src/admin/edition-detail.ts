import type { Paper } from '../papers/index.js';
// The one module, not the folder's door: every store opens with this code, and papers/index.js
// would load the paper sources and the LaTeX reader into every command (bounces ingest included).
import { huggingFacePaperUrl } from '../papers/paper.js';
import type { DomainFailures, EditionPaper, EditionRow, FunnelStep } from './queries.js';

/** Queued, accepted by the relay, not bounced back, and of those the ones no complaint came back for. */
export function funnel(row: EditionRow): FunnelStep[] {
  const delivered = Math.max(0, row.sent - row.bounced);
  return [
    { step: 'queued', count: row.total },
    { step: 'sent', count: row.sent },
    { step: 'delivered', count: delivered },
    { step: 'without complaint', count: Math.max(0, delivered - row.complained) },
  ];
}

/** How many domains the edition page lists. */
export const domainsShown = 50;

/** Failed messages and readers whose reports counted, per domain, the most trouble first. */
export function troubleByDomain(
  failed: readonly { domain: string; failed: number }[],
  reported: readonly { domain: string; bounced: number; complained: number }[],
): DomainFailures[] {
  const byDomain = new Map<string, DomainFailures>();
  const entry = (domain: string) => {
    let found = byDomain.get(domain);
    if (!found) byDomain.set(domain, (found = { domain, failed: 0, bounced: 0, complained: 0 }));
    return found;
  };
  for (const row of failed) entry(row.domain).failed += row.failed;
  for (const row of reported) Object.assign(entry(row.domain), { bounced: row.bounced, complained: row.complained });
  const trouble = (row: DomainFailures) => row.failed + row.bounced + row.complained;
  return [...byDomain.values()].sort((a, b) => trouble(b) - trouble(a) || a.domain.localeCompare(b.domain)).slice(0, domainsShown);
}

export const editionPapers = (papers: readonly Paper[]): EditionPaper[] =>
  papers.map((paper, index) => ({ rank: index + 1, id: paper.id, title: paper.title, url: huggingFacePaperUrl(paper.id), upvotes: paper.upvotes }));
