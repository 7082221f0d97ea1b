export { resultsPerPage, searchPage } from './page.js';
export { rangeOf } from './range.js';
