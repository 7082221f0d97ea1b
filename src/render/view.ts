import { format } from 'date-fns/format';
import { parseISO } from 'date-fns/parseISO';
import { arxivUrl, dayRange, editionTitle, huggingFacePaperUrl, isWeekKey, longDay, type Paper, weekDays } from '../papers/index.js';
import { count } from '../words.js';
import { withAllowedThumbnail } from './hero.js';

/** One paper card, computed once per edition; every string is plain text (templates escape it). */
export interface PaperView {
  rank: number;
  id: string;
  title: string;
  url: string;
  arxivUrl: string;
  authors: string;
  upvotes: number;
  comments: number;
  /** "1 upvote", "163 upvotes": worked out once per edition, not in every recipient's render. */
  upvotesLabel: string;
  commentsLabel: string;
  organization?: string;
  /** The AI summary when the feed has one, else the abstract trimmed to a few sentences. */
  blurb: string;
  codeUrl?: string;
  codeStars?: string;
  projectPage?: string;
  thumbnail?: string;
  keywords: string[];
  /** In a weekly edition, the day the paper was listed: "Wed 19 Aug". */
  dayLabel?: string;
}

/** The newsletter's own settings templates show (a subset of config.newsletter). */
export interface NewsletterView {
  name: string;
  /** Show the top paper's thumbnail; on unless set to false. */
  heroImage?: boolean;
  /** The hosts thumbnails may come from, over HTTPS (hero.ts); the feed's own when absent. */
  heroImageHosts?: readonly string[];
  postalAddress?: string;
}

export interface EditionView {
  newsletter: NewsletterView;
  /**
   * `day` is the edition's key: a date, or an ISO week ("2026-W34") for a weekly edition, whose
   * `range` is the span of days its papers came from ("17–21 Aug"); longDay and shortDay then
   * name the week.
   */
  edition: { day: string; longDay: string; shortDay: string; weekly: boolean; range?: string };
  papers: PaperView[];
}

const authorsShown = 3;
const blurbLength = 320;

export function authorsLine(authors: readonly string[]): string {
  if (authors.length === 0) return 'Unknown authors';
  if (authors.length <= authorsShown + 1) return authors.join(', ');
  return `${authors.slice(0, authorsShown).join(', ')} et al.`;
}

/** Cuts text at a word boundary near `length`, with an ellipsis when something was cut. */
export function trimText(text: string, length = blurbLength): string {
  if (text.length <= length) return text;
  const cut = text.slice(0, length);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > length * 0.6 ? cut.slice(0, lastSpace) : cut).replace(/[\s,;:.]+$/, '')}…`;
}

export function compactNumber(value: number): string {
  return new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

export function paperView(paper: Paper, rank: number, weekly = false): PaperView {
  return {
    rank,
    id: paper.id,
    title: paper.title,
    url: huggingFacePaperUrl(paper.id),
    arxivUrl: arxivUrl(paper.id),
    authors: authorsLine(paper.authors),
    upvotes: paper.upvotes,
    comments: paper.comments,
    upvotesLabel: count(paper.upvotes, 'upvote'),
    commentsLabel: count(paper.comments, 'comment'),
    ...(paper.organization ? { organization: paper.organization } : {}),
    blurb: paper.aiSummary ?? trimText(paper.summary),
    ...(paper.githubRepo ? { codeUrl: paper.githubRepo } : {}),
    ...(paper.githubStars ? { codeStars: compactNumber(paper.githubStars) } : {}),
    ...(paper.projectPage ? { projectPage: paper.projectPage } : {}),
    ...(paper.thumbnail ? { thumbnail: paper.thumbnail } : {}),
    keywords: paper.keywords,
    ...(weekly ? { dayLabel: format(parseISO(paper.day), 'EEE d MMM') } : {}),
  };
}

/** What a weekly edition's header and subject say: the week, and the days its papers span (with the year in `shortDay`). */
function weekHeading(key: string, papers: readonly Paper[]) {
  const days = papers.map((paper) => paper.day).sort();
  const week = weekDays(key);
  const [first, last] = [days[0] ?? week[0]!, days.at(-1) ?? week[6]!];
  return { day: key, weekly: true, range: dayRange(first, last), longDay: editionTitle(key), shortDay: dayRange(first, last, true) };
}

export function editionView(input: { day: string; papers: readonly Paper[]; newsletter: NewsletterView }): EditionView {
  const { name, heroImage, postalAddress } = input.newsletter;
  return {
    newsletter: { name, heroImage: heroImage ?? true, ...(postalAddress ? { postalAddress } : {}) },
    edition: isWeekKey(input.day)
      ? weekHeading(input.day, input.papers)
      : { day: input.day, weekly: false, longDay: longDay(input.day), shortDay: format(parseISO(input.day), 'd MMM yyyy') },
    papers: input.papers.map((paper, index) => withAllowedThumbnail(paperView(paper, index + 1, isWeekKey(input.day)), input.newsletter.heroImageHosts)),
  };
}
