import { searchableText } from '../../search/index.js';
import { fromJson, type JsonColumn } from './json-columns.js';

/** A paper's fields the full-text index is made from, as a record or as either backend reads them back. */
export interface PaperText {
  title: string;
  keywords: JsonColumn<readonly string[]>;
  summary: string;
  authors: JsonColumn<readonly string[]>;
}

/** A paper's fields as both stores' full-text indexes take them, named like the values their statements bind. */
export interface PaperSearchText {
  search_title: string;
  search_keywords: string;
  search_summary: string;
  search_authors: string;
}

/**
 * What the full-text index of a paper holds: its title, keywords and summary as alerts read them
 * (searchableText: hyphens split words, "GraphRAG" is also RAG), its authors as written. The
 * stores index this text without keeping it; readers are shown the fields as they were.
 */
export function paperSearchText(paper: PaperText): PaperSearchText {
  return {
    search_title: searchableText(paper.title),
    search_keywords: searchableText(fromJson(paper.keywords).join('; ')),
    search_summary: searchableText(paper.summary),
    search_authors: fromJson(paper.authors).join('; '),
  };
}
