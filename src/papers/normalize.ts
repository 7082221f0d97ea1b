import { z } from 'zod';
import { PaperboyError } from '../errors.js';
import { latexToText } from './latex.js';
import type { FeedDay, Paper, SkippedItem } from './paper.js';

/** Control characters and runs of white space fold to one space: feed text may end up in a Subject header. */
const cleanText = (value: string): string =>
  // eslint-disable-next-line no-control-regex
  value.replace(/[\u0000-\u001f\u007f\u2028\u2029\s]+/g, ' ').trim();

const optional = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);
const httpUrl = z.url({ protocol: /^https?$/ });
const organizationSchema = z.object({ name: z.string(), fullname: z.string().optional() });

// Only id, title, summary, authors and upvotes are required: every other field came or went
// between 2024 and 2026, so a wrong-typed optional field is dropped, not fatal.
const paperSchema = z.object({
  id: z.string().trim().min(1, 'is empty'),
  title: z.string().trim().min(1, 'is empty'),
  summary: z.string(),
  authors: z.array(z.object({ name: z.string() })),
  upvotes: z.number().int().nonnegative(),
  publishedAt: optional(z.string()),
  ai_summary: optional(z.string()),
  ai_keywords: optional(z.array(z.string())),
  githubRepo: optional(httpUrl),
  githubStars: optional(z.number().int().nonnegative()),
  projectPage: optional(httpUrl),
  organization: optional(organizationSchema),
});

const itemSchema = z.object({
  paper: paperSchema,
  title: optional(z.string()),
  thumbnail: optional(httpUrl),
  numComments: optional(z.number().int().nonnegative()),
  organization: optional(organizationSchema),
});

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length > 0 ? issue.path.join('.') : 'item';
  return `${field}: ${issue.message}`;
}

/** A title without TeX's markup, to compare two spellings of it. */
const withoutMarkup = (title: string): string => cleanText(title.replace(/[$\\{}]/g, ''));

/**
 * The 2024 feed kept `$…$` in the item's title and stripped it from paper.title ("$VILA^2$: …"
 * next to "VILA^2: …", "LLM$\times$MapReduce" next to "LLMtimesMapReduce"): when that markup
 * is their only difference, the delimited one converts better.
 */
function titleWithMath(item: z.infer<typeof itemSchema>): string {
  const { title } = item;
  const stripped = item.paper.title;
  if (!title?.includes('$')) return stripped;
  return withoutMarkup(title) === withoutMarkup(stripped) ? title : stripped;
}

function toPaper(item: z.infer<typeof itemSchema>, day: string): Paper {
  const { paper } = item;
  const organization = paper.organization ?? item.organization;
  const aiSummary = paper.ai_summary ? cleanText(latexToText(paper.ai_summary)) : undefined;
  return {
    id: cleanText(paper.id),
    title: cleanText(latexToText(titleWithMath(item))),
    summary: cleanText(latexToText(paper.summary)),
    ...(aiSummary ? { aiSummary } : {}),
    authors: paper.authors.map((author) => cleanText(author.name)).filter((name) => name.length > 0),
    upvotes: paper.upvotes,
    comments: item.numComments ?? 0,
    day,
    ...(paper.publishedAt ? { publishedAt: paper.publishedAt } : {}),
    ...(organization ? { organization: cleanText(organization.fullname || organization.name) } : {}),
    ...(paper.githubRepo ? { githubRepo: paper.githubRepo } : {}),
    ...(paper.githubStars !== undefined && paper.githubRepo ? { githubStars: paper.githubStars } : {}),
    ...(paper.projectPage ? { projectPage: paper.projectPage } : {}),
    ...(item.thumbnail ? { thumbnail: item.thumbnail } : {}),
    keywords: (paper.ai_keywords ?? []).map((keyword) => cleanText(latexToText(keyword))).filter((keyword) => keyword.length > 0),
  };
}

function describeShape(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') {
    const keys = Object.keys(value).slice(0, 6);
    return keys.length > 0 ? `an object with keys ${keys.join(', ')}` : 'an empty object';
  }
  return `a ${typeof value}`;
}

/**
 * Turns one day's raw feed (the parsed JSON of /api/daily_papers) into Papers.
 * A bad item is skipped and reported; a feed that is not a list of paper objects at all
 * throws one FEED error naming `origin`.
 */
export function normalizeFeed(raw: unknown, day: string, origin: string): FeedDay {
  if (!Array.isArray(raw)) {
    throw new PaperboyError('FEED', `The feed from ${origin} is ${describeShape(raw)}, not a list of daily papers; check the source or its recorded file.`);
  }
  const papers: Paper[] = [];
  const skipped: SkippedItem[] = [];
  const seen = new Set<string>();
  raw.forEach((item: unknown, index) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      skipped.push({ index, reason: `item is ${describeShape(item)}, not a paper object` });
      return;
    }
    const parsed = itemSchema.safeParse(item);
    const rawId = (item as { paper?: { id?: unknown } }).paper?.id;
    const id = typeof rawId === 'string' ? rawId : undefined;
    if (!parsed.success) {
      skipped.push({ index, ...(id ? { id } : {}), reason: parsed.error.issues.map(describeIssue).join('; ') });
      return;
    }
    const paper = toPaper(parsed.data, day);
    if (seen.has(paper.id)) {
      skipped.push({ index, id: paper.id, reason: 'duplicate of an earlier item' });
      return;
    }
    seen.add(paper.id);
    papers.push(paper);
  });
  if (raw.length > 0 && papers.length === 0) {
    const first = skipped[0]!;
    throw new PaperboyError(
      'FEED',
      `The feed from ${origin} holds ${raw.length} items and none is a paper (item ${first.index}: ${first.reason}); check the source or its recorded file.`,
    );
  }
  return { day, papers, skipped };
}

export function describeSkipped(item: SkippedItem): string {
  return `item ${item.index}${item.id ? ` (${item.id})` : ''} skipped: ${item.reason}`;
}
