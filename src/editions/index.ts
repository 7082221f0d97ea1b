export type { Edition, EditionStore, EditionSummary, NewEdition, DeliveryCounts } from './types.js';
export { emptyCounts } from './counts.js';
export { daysBefore } from './days.js';
