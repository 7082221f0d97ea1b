import { format, parseISO } from 'date-fns';
import { arxivUrl, huggingFacePaperUrl, longDay, type Paper } from '../papers/index.js';

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
  organization?: string;
  /** The AI summary when the feed has one, else the abstract trimmed to a few sentences. */
  blurb: string;
  codeUrl?: string;
  codeStars?: string;
  projectPage?: string;
  keywords: string[];
}

export interface EditionView {
  newsletter: { name: string };
  edition: { day: string; longDay: string; shortDay: string };
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

export function paperView(paper: Paper, rank: number): PaperView {
  return {
    rank,
    id: paper.id,
    title: paper.title,
    url: huggingFacePaperUrl(paper.id),
    arxivUrl: arxivUrl(paper.id),
    authors: authorsLine(paper.authors),
    upvotes: paper.upvotes,
    comments: paper.comments,
    ...(paper.organization ? { organization: paper.organization } : {}),
    blurb: paper.aiSummary ?? trimText(paper.summary),
    ...(paper.githubRepo ? { codeUrl: paper.githubRepo } : {}),
    ...(paper.githubStars ? { codeStars: compactNumber(paper.githubStars) } : {}),
    ...(paper.projectPage ? { projectPage: paper.projectPage } : {}),
    keywords: paper.keywords,
  };
}

export function editionView(input: { day: string; papers: readonly Paper[]; newsletterName: string }): EditionView {
  return {
    newsletter: { name: input.newsletterName },
    edition: { day: input.day, longDay: longDay(input.day), shortDay: format(parseISO(input.day), 'd MMM yyyy') },
    papers: input.papers.map((paper, index) => paperView(paper, index + 1)),
  };
}
