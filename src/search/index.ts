export { PaperIndex, markWords, queryStems, tokenize, type ScoredPaper, type Searchable, type Token } from './relevance.js';
