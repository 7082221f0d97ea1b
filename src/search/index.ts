export { markWords, PaperIndex, queryStems, type ScoredPaper, type Searchable, type Token, tokenize } from './relevance.js';
