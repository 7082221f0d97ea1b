import { type MigrationDialect, readerHistory } from '../common/index.js';

/** When a status changed: the time the row itself records for it (left, confirmed), else now. */
const changedAt = `CASE
      WHEN new.status IN ('unsubscribed', 'bounced', 'complained') AND new.unsubscribed_at IS NOT NULL AND new.unsubscribed_at IS NOT old.unsubscribed_at
        THEN new.unsubscribed_at
      WHEN new.status = 'active' AND old.confirmed_at IS NULL AND new.confirmed_at IS NOT NULL THEN new.confirmed_at
      ELSE strftime('%Y-%m-%dT%H:%M:%fZ', 'now') END`;

/** A reader entering (1, 0) or leaving (0, 1) `status` on `day`. */
const tally = (day: string, status: string, entered: 0 | 1) => `INSERT INTO reader_status_days (day, status, slot, entered, exited)
    VALUES (${day}, ${status}, 0, ${entered}, ${1 - entered})
    ON CONFLICT (day, status, slot) DO UPDATE SET entered = entered + ${entered}, exited = exited + ${1 - entered};`;

/**
 * The admin dashboard's tables (common/reader-history.ts) and SQLite's triggers that keep them: on
 * every status change and removal of a reader, whichever code did it. The readers added are
 * counted by the store's one insert, once a batch (subscriber-upsert.ts): SQLite has no statement
 * triggers, and a row trigger made every insert a quarter dearer. One writer at a time here, so
 * one slot. A run starting on an edition drops its counts (they would go stale).
 */
export function sqliteReaderHistory(dialect: MigrationDialect): string {
  // The day of the change the trigger just recorded (last_insert_rowid() is the trigger's own insert while it runs).
  const recordedDay = `(SELECT ${dialect.utcDay('at')} FROM subscriber_events WHERE id = last_insert_rowid())`;
  return `${readerHistory(dialect)}
  CREATE TRIGGER reader_status_changed AFTER UPDATE OF status ON subscribers WHEN new.status <> old.status BEGIN
    INSERT INTO subscriber_events (subscriber_id, at, from_status, status) VALUES (new.id, ${changedAt}, old.status, new.status);
    ${tally(recordedDay, 'old.status', 0)}
    ${tally(recordedDay, 'new.status', 1)}
  END;
  CREATE TRIGGER reader_status_removed AFTER DELETE ON subscribers BEGIN
    ${tally(`date('now')`, 'old.status', 0)}
  END;
  CREATE TRIGGER edition_counts_stale AFTER INSERT ON delivery_runs BEGIN
    DELETE FROM edition_counts WHERE edition_id = new.edition_id;
  END;
  `;
}
