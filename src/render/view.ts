import { format } from 'date-fns/format';
import { parseISO } from 'date-fns/parseISO';
import { arxivUrl, dayRange, editionTitle, huggingFacePaperUrl, isWeekKey, longDay, type Paper, weekDays } from '../papers/index.js';
import { count } from '../words.js';
import { withAllowedThumbnail } from './hero.js';
import { cardDetails } from './card.js';

/**
 * One paper card, computed once per edition; every string is plain text (templates escape it).
 * Editions freeze the templates they were created with, so the values older templates read stay
 * (`authors`, `upvotesLabel`, `commentsLabel`, `codeStars`): the archive still renders them.
 */
export interface PaperView {
  rank: number;
  id: string;
  title: string;
  url: string;
  arxivUrl: string;
  /** Up to four names, else three ("A, B, C"), and how many are not shown (0 when all are). */
  authorNames: string;
  moreAuthors: number;
  /** The whole line, "A, B, C and 14 more authors" (for older templates). */
  authors: string;
  upvotes: number;
  comments: number;
  /** "1 upvote", "163 upvotes" (for older templates: the bundled ones count with the plural helper). */
  upvotesLabel: string;
  commentsLabel: string;
  /** Whether the comment count says anything: 2 or more (see card.ts). */
  commentsShown: boolean;
  organization?: string;
  /** The AI summary when the feed has one (then `aiSummary` is true), else the abstract trimmed to a few sentences. */
  blurb: string;
  aiSummary: boolean;
  codeUrl?: string;
  /** The code repository's GitHub stars, when it has any. */
  stars?: number;
  /** The stars as "1.2K" (for older templates). */
  codeStars?: string;
  /** Absent when the feed's project link is only the paper's own Hugging Face or arXiv page. */
  projectPage?: string;
  thumbnail?: string;
  keywords: string[];
  /** The keywords a card shows as tags: at most five, none over 40 characters. */
  tags: string[];
  /** The same tags as one line for the text part: "LLM agents, EnvHarness" (empty without tags). */
  tagLine: string;
  /** The text part's rank, right-aligned in four columns (" 9.", "10."), and the column its title starts in. */
  textRank: string;
  textIndent: number;
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

const blurbLength = 320;

/** Cuts text at a word boundary near `length`, with an ellipsis when something was cut. */
export function trimText(text: string, length = blurbLength): string {
  if (text.length <= length) return text;
  const cut = text.slice(0, length);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > length * 0.6 ? cut.slice(0, lastSpace) : cut).replace(/[\s,;:.]+$/, '')}…`;
}

export function paperView(paper: Paper, rank: number, weekly = false): PaperView {
  return {
    rank,
    id: paper.id,
    title: paper.title,
    url: huggingFacePaperUrl(paper.id),
    arxivUrl: arxivUrl(paper.id),
    upvotes: paper.upvotes,
    comments: paper.comments,
    upvotesLabel: count(paper.upvotes, 'upvote'),
    commentsLabel: count(paper.comments, 'comment'),
    ...(paper.organization ? { organization: paper.organization } : {}),
    blurb: paper.aiSummary ?? trimText(paper.summary),
    ...(paper.githubRepo ? { codeUrl: paper.githubRepo } : {}),
    ...(paper.thumbnail ? { thumbnail: paper.thumbnail } : {}),
    keywords: paper.keywords,
    ...cardDetails(paper, rank),
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
