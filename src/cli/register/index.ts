// Each command declares its own flags here; its work is imported inside its action, so
// `paperboy --help` (and `bounces ingest`, started for every report) loads nothing it does not use.
export { registerBounces, type IngestOptions, type BounceListOptions, type ReviewOptions, type WatchOptions } from './bounces.js';
export { registerDb, type CopyOptions } from './db.js';
export { registerDemo } from './demo.js';
export { registerEditions, type EditionListOptions, type EditionShowOptions } from './editions.js';
export { registerHelp } from './help.js';
export { registerLists, type ListCreateOptions } from './lists.js';
export { registerPreview, type PreviewOptions } from './preview.js';
export { registerSchedule, type ScheduleOptions } from './schedule.js';
export { registerSend, type SendOptions } from './send.js';
export { registerServe, type ServeOptions } from './serve.js';
export { registerSubscribers, type AddOptions, type UnsubscribeOptions, type SubscriberListOptions, type ImportOptions, type ExportOptions } from './subscribers.js';
