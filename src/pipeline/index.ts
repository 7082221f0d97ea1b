export { type ArchivedDay, archiveDay } from './archive-day.js';
export { ingestDepsFor, startBounceWatcher } from './bounce-watcher.js';
export { type DayPapers, type DayPapersOptions, loadDayPapers } from './day-papers.js';
export { type DeliverOptions, type DeliverResult, deliverEdition, editionsDueForRetry } from './deliver.js';
export { exampleCsv } from './demo.js';
export { createOrResumeEdition, type EditionOutcome, resolveDay } from './edition.js';
export { type PreviewResult, renderSampleDigest, sampleRecipient, writePreview } from './preview.js';
export { type LeftOutDay, loadWeekPapers, type WeekPapers } from './week-papers.js';
