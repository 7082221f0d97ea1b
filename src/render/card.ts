import { arxivUrl, huggingFacePaperUrl, type Paper } from '../papers/index.js';
import { count } from '../words.js';

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

/** "8", "1.2K": a count for a line with little room. */
export function compactNumber(value: number): string {
  return compact.format(value);
}

/** Names a card shows before "and N more authors"; a fourth author is shown rather than "and 1 more author". */
const authorsNamed = 3;
/** Keyword tags a card shows: the first five of the feed's `ai_keywords`, as the Daily Papers page lists them. */
const tagsShown = 5;
/** A longer keyword is a phrase, not a tag, and would not fit on a phone's line as one. */
const tagLength = 40;
/** One comment is usually Hugging Face's automated "similar papers" post: a count says something from two on. */
const commentsWorthShowing = 2;

/** The authors as a card shows them: up to four names, or three and how many more. */
export function authorNames(authors: readonly string[]): { names: string; more: number } {
  if (authors.length === 0) return { names: 'Unknown authors', more: 0 };
  if (authors.length <= authorsNamed + 1) return { names: authors.join(', '), more: 0 };
  return { names: authors.slice(0, authorsNamed).join(', '), more: authors.length - authorsNamed };
}

/** "A, B, C and 14 more authors". */
export function authorsLine(authors: readonly string[]): string {
  const { names, more } = authorNames(authors);
  return more ? `${names} and ${count(more, 'more author')}` : names;
}

/** The keywords a card shows as tags: the feed's order, repeats (in any case) and long phrases left out, at most five. */
export function keywordTags(keywords: readonly string[]): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const keyword of keywords) {
    const key = keyword.toLowerCase();
    if (keyword.length > tagLength || seen.has(key)) continue;
    seen.add(key);
    tags.push(keyword);
    if (tags.length === tagsShown) break;
  }
  return tags;
}

/** A link reduced to what names a page: no scheme, `www.`, query, fragment, trailing slash or arXiv version; hf.co spelled out. */
function pageOf(link: string): string | undefined {
  if (!URL.canParse(link)) return undefined;
  const url = new URL(link);
  const host = url.hostname.replace(/^www\./, '').replace(/^hf\.co$/, 'huggingface.co');
  const path = url.pathname
    .replace(/\/+$/, '')
    .replace(/^\/pdf\//, '/abs/')
    .replace(/(\.pdf)?$/, '')
    .replace(/v\d+$/, '');
  return `${host}${path}`.toLowerCase();
}

/**
 * Whether a project link only leads back to a page the card links already (the paper's Hugging
 * Face page or its arXiv page): the feed has such links, and a "Project page" that is the paper
 * page again promises something that is not there.
 */
export function isOwnPage(link: string, paperId: string): boolean {
  const page = pageOf(link);
  return page !== undefined && (page === pageOf(huggingFacePaperUrl(paperId)) || page === pageOf(arxivUrl(paperId)));
}

/**
 * The text part's rank, right-aligned in a four-column gutter (" 9.", "10."), so every card's
 * lines start in one column however many digits its rank has, and a title's wrapped lines hang
 * under its first. Rank 100, the most a digest shows, takes a fifth column for its title.
 */
function textRank(rank: number) {
  const label = `${rank}.`.padStart(3);
  return { textRank: label, textIndent: label.length + 1 };
}

/** What a card shows beyond the feed's plain values (docs/templates.md says why each rule is there). */
export function cardDetails(paper: Paper, rank: number) {
  const { names, more } = authorNames(paper.authors);
  const tags = keywordTags(paper.keywords);
  return {
    authorNames: names,
    moreAuthors: more,
    authors: authorsLine(paper.authors),
    ...(paper.githubRepo && paper.githubStars ? { stars: paper.githubStars } : {}),
    ...(paper.githubStars ? { codeStars: compactNumber(paper.githubStars) } : {}),
    commentsShown: paper.comments >= commentsWorthShowing,
    aiSummary: paper.aiSummary !== undefined,
    tags,
    tagLine: tags.join(', '),
    ...(paper.projectPage && !isOwnPage(paper.projectPage, paper.id) ? { projectPage: paper.projectPage } : {}),
    ...textRank(rank),
  };
}
