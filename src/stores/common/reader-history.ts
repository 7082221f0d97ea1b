import type { MigrationDialect } from './migrations.js';
import { typeSpelling } from './schema.js';

/**
 * The status a reader was added with, as far as their row tells: confirmed after they were added
 * means they started pending; confirmed at once (an import, the CLI) active; suppressed at once
 * (an import of bounced readers) that status.
 */
const firstStatus = `CASE WHEN confirmed_at > created_at THEN 'pending'
      WHEN confirmed_at IS NOT NULL OR status = 'active' THEN 'active'
      WHEN status <> 'pending' AND coalesce(unsubscribed_at, created_at) <= created_at THEN status
      ELSE 'pending' END`;
/** Their status once confirmed, if they were. */
const confirmedStatus = `CASE WHEN confirmed_at IS NOT NULL THEN 'active' ELSE ${firstStatus} END`;

/**
 * What the admin dashboard reads instead of every reader and every delivery (shipped with the
 * step that made them: never edit), and the history of readers already stored, told from their
 * rows' times (added, confirmed, left). Each backend adds what keeps them current: triggers, and in
 * SQLite, which has no statement triggers, the store's one insert of readers counting its batch.
 *
 * - subscriber_events: each change of a reader's status after they were added (their first
 *   status is the first change's from_status, or their status when it never changed).
 * - reader_status_days: how many readers entered and left each status on each UTC day; the
 *   readers in a status at the end of a day are the sum up to it. `slot` spreads writers over
 *   rows (PostgreSQL: sessions that add readers at once do not wait for each other's row).
 * - edition_counts: an edition's ledger counted once it is complete (filled by the first read
 *   after, dropped when a run starts on it again), so a finished million-reader edition is not
 *   counted again for every page.
 */
export function readerHistory(dialect: MigrationDialect): string {
  const t = typeSpelling[dialect.backend];
  return `
  CREATE TABLE subscriber_events (
    id ${dialect.serialKey},
    subscriber_id ${t.reference} NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    at ${t.timestamp} NOT NULL,
    from_status ${t.text} NOT NULL,
    status ${t.text} NOT NULL
  );
  CREATE INDEX subscriber_events_subscriber ON subscriber_events (subscriber_id, at);

  CREATE TABLE reader_status_days (
    day ${t.text} NOT NULL,
    status ${t.text} NOT NULL,
    slot ${t.integer} NOT NULL,
    entered ${t.integer} NOT NULL,
    exited ${t.integer} NOT NULL,
    PRIMARY KEY (day, status, slot)
  )${dialect.withoutRowid};

  CREATE TABLE edition_counts (
    edition_id ${t.reference} PRIMARY KEY REFERENCES editions (id) ON DELETE CASCADE,
    pending ${t.integer} NOT NULL,
    sending ${t.integer} NOT NULL,
    sent ${t.integer} NOT NULL,
    retry ${t.integer} NOT NULL,
    failed ${t.integer} NOT NULL,
    skipped ${t.integer} NOT NULL,
    first_sent_at ${t.timestamp},
    last_sent_at ${t.timestamp},
    failure_groups ${t.json} NOT NULL,
    failed_domains ${t.json} NOT NULL,
    relays ${t.json} NOT NULL,
    counted_at ${t.timestamp} NOT NULL
  );

  INSERT INTO subscriber_events (subscriber_id, at, from_status, status)
    SELECT id, confirmed_at, 'pending', 'active' FROM subscribers WHERE confirmed_at > created_at ORDER BY id;
  INSERT INTO subscriber_events (subscriber_id, at, from_status, status)
    SELECT id, coalesce(unsubscribed_at, confirmed_at, created_at), ${confirmedStatus}, status FROM subscribers
    WHERE status <> ${confirmedStatus} ORDER BY id;
  INSERT INTO reader_status_days (day, status, slot, entered, exited)
    SELECT day, status, 0, sum(entered), sum(exited) FROM (
      SELECT ${dialect.utcDay('created_at')} AS day, ${firstStatus} AS status, 1 AS entered, 0 AS exited FROM subscribers
      UNION ALL SELECT ${dialect.utcDay('at')}, from_status, 0, 1 FROM subscriber_events
      UNION ALL SELECT ${dialect.utcDay('at')}, status, 1, 0 FROM subscriber_events
    ) AS changes GROUP BY day, status;
  `;
}
