import { type ArchiveExtent, type Paper, type PaperHit, type PaperSearchPage, searchWindow } from '../../papers/index.js';
import { fromJson, type JsonColumn } from './json-columns.js';

/** The archive's columns a paper is written with, in the order both backends' statements take them. */
export const paperColumns = [
  'day',
  'paper_id',
  'source',
  'title',
  'summary',
  'ai_summary',
  'authors',
  'keywords',
  'upvotes',
  'comments',
  'published_at',
  'organization',
  'github_repo',
  'github_stars',
  'project_page',
  'thumbnail',
] as const;

/** The columns a refetch may change: a row is rewritten (and its text re-indexed) only when one of them did. */
export const changingPaperColumns = paperColumns.filter((column) => column !== 'day' && column !== 'paper_id');

type TextColumn = 'day' | 'paper_id' | 'source' | 'title' | 'summary';
export type PaperRecord = Record<Exclude<(typeof paperColumns)[number], TextColumn | 'authors' | 'keywords'>, string | number | null> &
  Record<TextColumn, string> & { authors: string[]; keywords: string[] };

/**
 * The papers of one day as records named like the table's columns (JSON columns as arrays), each
 * id once: a day written in one statement may not touch a row twice.
 */
export function paperRecords(day: string, source: string, papers: readonly Paper[]): PaperRecord[] {
  const byId = new Map<string, PaperRecord>();
  for (const paper of papers) {
    if (byId.has(paper.id)) continue;
    byId.set(paper.id, {
      day,
      paper_id: paper.id,
      source,
      title: paper.title,
      summary: paper.summary,
      ai_summary: paper.aiSummary ?? null,
      authors: paper.authors,
      keywords: paper.keywords,
      upvotes: paper.upvotes,
      comments: paper.comments,
      published_at: paper.publishedAt ?? null,
      organization: paper.organization ?? null,
      github_repo: paper.githubRepo ?? null,
      github_stars: paper.githubStars ?? null,
      project_page: paper.projectPage ?? null,
      thumbnail: paper.thumbnail ?? null,
    });
  }
  return [...byId.values()];
}

/** A paper as both backends read it back (`p` the paper); the search adds its edition's columns. */
export const paperSelect = `p.day, p.paper_id, p.title, p.summary, p.ai_summary, p.authors, p.keywords, p.upvotes, p.comments,
  p.published_at, p.organization, p.github_repo, p.github_stars, p.project_page, p.thumbnail`;

export interface PaperRow {
  day: string;
  paper_id: string;
  title: string;
  summary: string;
  ai_summary: string | null;
  authors: JsonColumn<string[]>;
  keywords: JsonColumn<string[]>;
  upvotes: number;
  comments: number;
  published_at: string | null;
  organization: string | null;
  github_repo: string | null;
  github_stars: number | null;
  project_page: string | null;
  thumbnail: string | null;
}

/** A paper a search found, with the edition that carried it (NULLs when none). */
export interface HitRow extends PaperRow {
  edition_id: number | null;
  edition_list: string | null;
}

/**
 * A search's row, both stores alike: how many matched (up to searchWindow + 1) and the day of the
 * oldest ranked, with a paper of the page, or without (paper_id NULL) when the page is empty.
 */
export type SearchRow = { matched: number; oldest: string | null } & (HitRow | { paper_id: null });

/** A search's rows as the page they make. */
export function toSearchPage(rows: readonly SearchRow[]): PaperSearchPage {
  const { matched, oldest } = rows[0] ?? { matched: 0, oldest: null };
  const hits = rows.filter((row): row is SearchRow & HitRow => row.paper_id !== null).map(toHit);
  return matched > searchWindow && oldest ? { total: searchWindow, rankedSince: oldest, hits } : { total: matched, hits };
}

export const toPaper = (row: PaperRow): Paper => ({
  id: row.paper_id,
  title: row.title,
  summary: row.summary,
  ...(row.ai_summary !== null ? { aiSummary: row.ai_summary } : {}),
  authors: fromJson(row.authors),
  upvotes: row.upvotes,
  comments: row.comments,
  day: row.day,
  ...(row.published_at !== null ? { publishedAt: row.published_at } : {}),
  ...(row.organization !== null ? { organization: row.organization } : {}),
  ...(row.github_repo !== null ? { githubRepo: row.github_repo } : {}),
  ...(row.github_stars !== null ? { githubStars: row.github_stars } : {}),
  ...(row.project_page !== null ? { projectPage: row.project_page } : {}),
  ...(row.thumbnail !== null ? { thumbnail: row.thumbnail } : {}),
  keywords: fromJson(row.keywords),
});

export const toHit = (row: HitRow): PaperHit => ({
  paper: toPaper(row),
  ...(row.edition_id !== null && row.edition_list !== null ? { edition: { id: row.edition_id, list: row.edition_list, day: row.day } } : {}),
});

export interface ExtentRow {
  days: number;
  papers: number;
  first: string | null;
  last: string | null;
}

export const toExtent = (row: ExtentRow): ArchiveExtent => ({
  days: row.days,
  papers: row.papers,
  ...(row.first ? { first: row.first } : {}),
  ...(row.last ? { last: row.last } : {}),
});
