export type { Edition, EditionStore, EditionSummary, NewEdition, DeliveryCounts } from './types.js';
export { SqliteEditionStore } from './sqlite-editions.js';
export { PostgresEditionStore } from './postgres-editions.js';
export { emptyCounts } from './counts.js';
