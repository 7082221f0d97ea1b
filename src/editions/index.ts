export { emptyCounts } from './counts.js';
export { daysBefore } from './days.js';
export type { DeliveryCounts, Edition, EditionStore, EditionSummary, NewEdition } from './types.js';
