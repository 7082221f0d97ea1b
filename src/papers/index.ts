export { isTimeZone } from '../time-zone.js';
export {
  type ArchiveExtent,
  type EngineMatch,
  type KeptDay,
  type PaperArchive,
  type PaperHit,
  type PaperSearchOptions,
  type PaperSearchPage,
  searchWindow,
} from './archive.js';
export {
  dayRange,
  type EditionDayRule,
  editionDay,
  editionTitle,
  isWeekKey,
  longDay,
  parseDay,
  parseEditionKey,
  resolveWeek,
  weekDays,
  weekKey,
} from './day.js';
export { latexToText } from './latex.js';
export { describeSkipped, normalizeFeed } from './normalize.js';
export type { FeedDay, Paper, PaperSource, SkippedItem } from './paper.js';
export { arxivUrl, huggingFaceImageHosts, huggingFacePaperUrl } from './paper.js';
export { comparePapers, type Selection, type SelectionOptions, selectPapers } from './select.js';
export { createSource, type HuggingFaceOptions } from './sources/index.js';
