export type { Edition, EditionStore, EditionSummary, NewEdition, DeliveryCounts } from './types.js';
export { SqliteEditionStore, emptyCounts } from './sqlite-editions.js';
