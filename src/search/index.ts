export { toFts5Match } from './fts5.js';
export { markWords } from './mark.js';
export { type Field, fieldWeights, parseQuery, proximity, type Query, type QueryClause, type QueryPhrase, type QueryWord } from './query.js';
export { PaperIndex, type ScoredPaper, type Searchable } from './relevance.js';
export { searchableText } from './searchable-text.js';
export { toTsquery } from './tsquery.js';
export { queryStems, type Token, tokenize } from './words.js';
export { engineMatch } from './engine-match.js';
