export { acted, lastGoodDelivery, softBounceMessages, toEvent, type EventRow } from './bounce-rows.js';
export type { Stores } from './stores.js';
export { demoEditionsWhere, type ClearedDemo } from './demo.js';
export { firstParts, sharedMigrations, type MigrationDialect } from './migrations.js';
export { bookkeepingTables, columnType, columnsOn, schema, typeSpelling, type Backend, type ColumnSpec, type Columns, type LogicalType, type TableDescription } from './schema.js';
