// Each command declares its own flags here; its work is imported inside its action, so
// `paperboy --help` (and `bounces ingest`, started for every report) loads nothing it does not use.
export { type HashPasswordOptions, type LinkOptions, registerAdmin } from './admin.js';
export { type BounceListOptions, type IngestOptions, type ReviewOptions, registerBounces, type WatchOptions } from './bounces.js';
export { type CopyOptions, registerDb } from './db.js';
export { registerDemo } from './demo.js';
export { type EditionListOptions, type EditionShowOptions, registerEditions } from './editions.js';
export { registerHelp } from './help.js';
export { type ListCreateOptions, registerLists } from './lists.js';
export { type PaperFetchOptions, type PaperSearchCliOptions, registerPapers } from './papers.js';
export { type PreviewOptions, registerPreview } from './preview.js';
export { registerSchedule, type ScheduleOptions } from './schedule.js';
export { registerSend, type SendOptions } from './send.js';
export { registerServe, type ServeOptions } from './serve.js';
export {
  type AddOptions,
  type ExportOptions,
  type ImportOptions,
  registerSubscribers,
  type SubscriberListOptions,
  type UnsubscribeOptions,
} from './subscribers.js';
