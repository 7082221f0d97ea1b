import { PaperboyError } from '../errors.js';
import { type ArchiveExtent, describeSkipped, huggingFacePaperUrl, type PaperHit, parseDay } from '../papers/index.js';
import { engineMatch } from '../search/index.js';
import { archiveDay } from '../pipeline/index.js';
import { withStores } from '../stores/index.js';
import { count } from '../words.js';
import { paperboyCommand } from './commands.js';
import { commandConfig } from './context.js';
import type { GlobalOptions } from './flags.js';
import { print, printJson, warn } from './output.js';
import type { PaperFetchOptions, PaperSearchCliOptions } from './register/index.js';

/** Titles longer than this are cut in the table (the JSON has them whole). */
const titleWidth = 64;

const shortTitle = (title: string) => (title.length > titleWidth ? `${title.slice(0, titleWidth - 1)}…` : title);

/** The hits as a table: rank, day, upvotes, title, paper page, and the list whose edition of that day carried the paper. */
function hitTable(hits: PaperHit[], offset: number): string[] {
  const rows = [
    ['#', 'day', 'upvotes', 'title', 'paper', 'edition'],
    ...hits.map((hit, index) => [
      String(offset + index + 1),
      hit.paper.day,
      String(hit.paper.upvotes),
      shortTitle(hit.paper.title),
      huggingFacePaperUrl(hit.paper.id),
      hit.edition ? hit.edition.list : '—',
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const numeric = new Set([0, 2]);
  return rows.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : numeric.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  '),
  );
}

const span = (from: string | undefined, to: string | undefined) =>
  from && to ? ` from ${from} to ${to}` : from ? ` from ${from} on` : to ? ` up to ${to}` : '';

/** Why nothing was listed: an empty archive (and how to fill it), or what was searched. */
function nothingFound(query: string, range: string, extent: ArchiveExtent, global: GlobalOptions): string {
  if (extent.papers === 0) {
    const fetch = paperboyCommand(global, ['papers', 'fetch', '--date', 'YYYY-MM-DD']).command;
    return `No days are archived yet: a send keeps every paper of the day it fetches, or run ${fetch} to fetch one.`;
  }
  const held = `${count(extent.papers, 'paper')} of ${count(extent.days, 'day')}, ${extent.first} to ${extent.last}`;
  return `Nothing matches "${query}"${range} (the archive holds ${held}).`;
}

export async function search(query: string, options: PaperSearchCliOptions, global: GlobalOptions): Promise<void> {
  const match = engineMatch([query]);
  if (!match) throw new PaperboyError('USAGE', `"${query}" has no word to search for.`);
  const from = options.from === undefined ? undefined : parseDay(options.from);
  const to = options.to === undefined ? undefined : parseDay(options.to);
  if (from && to && from > to) throw new PaperboyError('USAGE', `--from ${from} is after --to ${to}: no day is in between.`);
  const range = span(from, to);
  await withStores(commandConfig(global), async ({ papers }) => {
    const page = await papers.searchPapers(match, { ...(from ? { from } : {}), ...(to ? { to } : {}), limit: options.limit, offset: 0 });
    const extent = page.total === 0 ? await papers.extent() : undefined;
    if (options.json) {
      const found = page.hits.map((hit, index) => ({ rank: index + 1, ...hit.paper, url: huggingFacePaperUrl(hit.paper.id), edition: hit.edition ?? null }));
      const ranked = page.rankedSince ? { rankedSince: page.rankedSince } : {};
      return printJson({
        query,
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        total: page.total,
        ...ranked,
        papers: found,
        ...(extent ? { archive: extent } : {}),
      });
    }
    if (extent) return print(nothingFound(query, range, extent, global));
    const shown = page.hits.length < page.total ? `; the ${page.hits.length} most relevant (more with --limit ${page.total})` : '';
    if (page.rankedSince) {
      const newest = `the ${page.hits.length} most relevant of the newest ${page.total}, from ${page.rankedSince} on (--to for earlier days)`;
      print(`More than ${count(page.total, 'paper')} match "${query}"${range}: ${newest}:`);
    } else print(`${count(page.total, 'paper')} ${page.total === 1 ? 'matches' : 'match'} "${query}"${range}${shown}:`);
    for (const line of hitTable(page.hits, 0)) print(`  ${line}`);
  });
}

export async function fetch(options: PaperFetchOptions, global: GlobalOptions): Promise<void> {
  const config = commandConfig(global, { source: options.source });
  const archived = await withStores(config, ({ papers }) => archiveDay(config, papers, options.date));
  for (const item of archived.skipped) warn(describeSkipped(item));
  if (options.json) return printJson(archived);
  if (archived.papers === 0) return print(`No papers for ${archived.day} from ${archived.source}: nothing to keep.`);
  const { added, updated, unchanged } = archived.kept;
  print(`Kept the ${count(archived.papers, 'paper')} of ${archived.day} from ${archived.source}: ${added} new, ${updated} updated, ${unchanged} unchanged.`);
}
