export { adminAuthTables } from './admin-migrations.js';
export { type AuditRow, auditValues, toAuditEntry } from './admin-rows.js';
export { StoreAdminQueries } from './admin-queries.js';
export {
  type AdminReads,
  type EditionHead,
  type EditionSnapshot,
  type LiveRun,
  type SnapshotRow,
  settled,
  snapshotOf,
  snapshotValues,
  toDeltas,
  toHead,
  toReaderEdition,
  toSnapshot,
} from './admin-reads.js';
export { acted, type EventRow, eventValues, lastGoodDelivery, softBounceMessages, toEditionActions, toEvent, toFeedback } from './bounce-rows.js';
export { confirmationWindow, withinAllowance } from './confirmation.js';
export { type DueRow, tallyCounts, toDue, toFailure } from './delivery-rows.js';
export { type ClearedDemo, demoEditionsWhere } from './demo.js';
export { fromJson, type JsonColumn } from './json-columns.js';
export { type EditionRow, editionColumns, editionValues, type SummaryRow, toEdition, toSummary } from './edition-rows.js';
export { checkNewListName, checkNoEditions, checkRemovableList, type ListRow, listExists, noListToRemove, noListToUse, notOnList, toList } from './lists.js';
export {
  changingPaperColumns,
  type ExtentRow,
  type HitRow,
  paperColumns,
  type PaperRecord,
  paperRecords,
  type PaperRow,
  paperSelect,
  type SearchRow,
  toExtent,
  toHit,
  toPaper,
  toSearchPage,
} from './paper-rows.js';
export { firstParts, type MigrationDialect, sharedMigrations } from './migrations.js';
export { type PaperSearchText, type PaperText, paperSearchText } from './paper-search-text.js';
export { readerHistory } from './reader-history.js';
export {
  type Backend,
  bookkeepingTables,
  type ColumnSpec,
  type Columns,
  columnsOn,
  columnType,
  type LogicalType,
  schema,
  searchIndexes,
  type TableDescription,
  typeSpelling,
} from './schema.js';
export type { Stores } from './stores.js';
export { type FilterSql, filterSql, whereClause } from './subscriber-filter.js';
export { type MergeRow, mergedFields, mergeInto, newSubscriber } from './subscriber-merge.js';
export { type SubscriberRow, toSubscriber } from './subscriber-rows.js';
