import { type MigrationDialect, readerHistory } from '../common/index.js';

/** Rows of (day, status, slot, entered, exited) added into reader_status_days, in key order (so two writers never wait on each other in a circle). */
const tally = (rows: string) => `INSERT INTO reader_status_days (day, status, slot, entered, exited)
    ${rows}
    ON CONFLICT (day, status, slot) DO UPDATE SET entered = reader_status_days.entered + excluded.entered, exited = reader_status_days.exited + excluded.exited;`;

/**
 * The admin dashboard's tables (common/reader-history.ts) and PostgreSQL's triggers that keep them,
 * whichever code writes the readers:
 * - an insert or a delete counts its readers once per statement (an import batch is one row
 *   update, not one per reader), in the slot of its session (pg_backend_pid() % 16), so sessions
 *   adding readers at once rarely wait for each other's row;
 * - a status change (UPDATE OF status: not the last-sent times a send records) records the change
 *   and counts it in the reader's slot (id % 16), so a batch changing many spreads its row updates.
 * When the change happened: the time the row itself records for it (left, confirmed), else now.
 * A run starting on an edition drops its counts (they would go stale).
 */
export const postgresReaderHistory = (dialect: MigrationDialect): string => `${readerHistory(dialect)}
  CREATE FUNCTION reader_status_added() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    ${tally(`SELECT ${dialect.utcDay('created_at')}, status, pg_backend_pid() % 16, count(*), 0 FROM added GROUP BY 1, 2 ORDER BY 1, 2`)}
    RETURN NULL;
  END $$;
  CREATE TRIGGER reader_status_added AFTER INSERT ON subscribers REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION reader_status_added();

  CREATE FUNCTION reader_status_removed() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    ${tally(`SELECT ${dialect.utcDay('now()')}, status, pg_backend_pid() % 16, 0, count(*) FROM removed GROUP BY 1, 2 ORDER BY 1, 2`)}
    RETURN NULL;
  END $$;
  CREATE TRIGGER reader_status_removed AFTER DELETE ON subscribers REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION reader_status_removed();

  CREATE FUNCTION reader_status_changed() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    changed_at timestamptz := CASE
      WHEN new.status IN ('unsubscribed', 'bounced', 'complained') AND new.unsubscribed_at IS NOT NULL AND new.unsubscribed_at IS DISTINCT FROM old.unsubscribed_at
        THEN new.unsubscribed_at
      WHEN new.status = 'active' AND old.confirmed_at IS NULL AND new.confirmed_at IS NOT NULL THEN new.confirmed_at
      ELSE now() END;
  BEGIN
    INSERT INTO subscriber_events (subscriber_id, at, from_status, status) VALUES (new.id, changed_at, old.status, new.status);
    ${tally(`SELECT ${dialect.utcDay('changed_at')}, change.status, (new.id % 16)::integer, change.entered, change.exited
      FROM (VALUES (old.status, 0, 1), (new.status, 1, 0)) AS change (status, entered, exited) ORDER BY change.status`)}
    RETURN NULL;
  END $$;
  CREATE TRIGGER reader_status_changed AFTER UPDATE OF status ON subscribers
    FOR EACH ROW WHEN (old.status IS DISTINCT FROM new.status) EXECUTE FUNCTION reader_status_changed();

  CREATE FUNCTION edition_counts_stale() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    DELETE FROM edition_counts WHERE edition_id = new.edition_id;
    RETURN NULL;
  END $$;
  CREATE TRIGGER edition_counts_stale AFTER INSERT ON delivery_runs FOR EACH ROW EXECUTE FUNCTION edition_counts_stale();
  `;
