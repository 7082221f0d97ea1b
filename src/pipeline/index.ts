export { loadDayPapers, type DayPapers, type DayPapersOptions } from './day-papers.js';
export { writePreview, renderSampleDigest, sampleRecipient, type PreviewResult } from './preview.js';
export { createOrResumeEdition, resolveDay, type EditionOutcome } from './edition.js';
export { deliverEdition, editionsDueForRetry, type DeliverOptions, type DeliverResult } from './deliver.js';
export { exampleCsv } from './demo.js';
export { loadWeekPapers, type WeekPapers } from './week-papers.js';
export { ingestDepsFor, startBounceWatcher } from './bounce-watcher.js';
