/** One paper as the rest of paperboy sees it: plain text (LaTeX already resolved), every optional field optional. */
export interface Paper {
  /** arXiv id, e.g. "2508.14040"; also the Hugging Face paper page slug. */
  id: string;
  title: string;
  /** The abstract. */
  summary: string;
  /** Hugging Face's one-paragraph AI summary, when the feed has one. */
  aiSummary?: string;
  authors: string[];
  upvotes: number;
  comments: number;
  /** The feed day the paper was listed on (YYYY-MM-DD). */
  day: string;
  publishedAt?: string;
  organization?: string;
  githubRepo?: string;
  githubStars?: number;
  projectPage?: string;
  /** The Daily Papers preview image (https), when the feed has one. */
  thumbnail?: string;
  keywords: string[];
}

/** An item the feed held that could not become a Paper, and why. */
export interface SkippedItem {
  /** 0-based position in the feed. */
  index: number;
  id?: string;
  reason: string;
}

export interface FeedDay {
  day: string;
  papers: Paper[];
  skipped: SkippedItem[];
}

/** Anything that can say which papers were listed on a day. */
export interface PaperSource {
  /** How the source was named, for messages: "hf", "sample", "file:./papers". */
  readonly name: string;
  fetchDay(day: string): Promise<FeedDay>;
  /** A source that holds only one day (a single dated file) names it, so `--date` can default to it. */
  readonly onlyDay?: string;
}

export const huggingFacePaperUrl = (id: string): string => `https://huggingface.co/papers/${encodeURIComponent(id)}`;
export const arxivUrl = (id: string): string => `https://arxiv.org/abs/${encodeURIComponent(id)}`;
/** Where the Daily Papers feed's thumbnails live (every one in the recorded days): the hero image's default allow-list. */
export const huggingFaceImageHosts: readonly string[] = ['cdn-thumbnails.huggingface.co'];
