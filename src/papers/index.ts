export type { Paper, PaperSource, FeedDay, SkippedItem } from './paper.js';
export { huggingFacePaperUrl, arxivUrl } from './paper.js';
export { normalizeFeed, describeSkipped } from './normalize.js';
export { latexToText } from './latex.js';
export { createSource, type HuggingFaceOptions } from './sources/index.js';
export { selectPapers, comparePapers, type Selection, type SelectionOptions } from './select.js';
export { isTimeZone } from '../time-zone.js';
export { editionDay, parseDay, longDay, isWeekKey, weekKey, weekDays, resolveWeek, parseEditionKey, dayRange, editionTitle, type EditionDayRule } from './day.js';
