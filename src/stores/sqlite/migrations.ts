import type { Database } from 'better-sqlite3';
import { mergeCaseDuplicates } from './merge-case-duplicates.js';

/**
 * Versioned schema changes, applied in order on open; PRAGMA user_version records how far a
 * database got. Never edit a shipped migration: add the next one. A step is SQL, or a function
 * when it needs more than SQL can say.
 */
export const migrations: readonly (string | ((db: Database) => void))[] = [
  // 1: subscribers, named lists and list membership
  `
  CREATE TABLE lists (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
  );
  INSERT INTO lists (name, description, created_at) VALUES ('default', 'Everyone who subscribes', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

  -- AUTOINCREMENT: ids are never reused, so a signed link for a removed subscriber never reaches someone else.
  CREATE TABLE subscribers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed', 'bounced', 'complained')),
    source TEXT NOT NULL CHECK (source IN ('cli', 'import', 'web')),
    topics TEXT NOT NULL DEFAULT '[]',
    max_papers INTEGER,
    created_at TEXT NOT NULL,
    confirmed_at TEXT,
    unsubscribed_at TEXT,
    last_sent_at TEXT
  );
  CREATE INDEX subscribers_status ON subscribers (status, id);

  CREATE TABLE list_members (
    list_id INTEGER NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('active', 'unsubscribed')),
    added_at TEXT NOT NULL,
    unsubscribed_at TEXT,
    PRIMARY KEY (list_id, subscriber_id)
  ) WITHOUT ROWID;
  CREATE INDEX list_members_subscriber ON list_members (subscriber_id);
  `,
  // 2: editions (frozen papers and templates) and the delivery ledger
  `
  CREATE TABLE editions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    list_id INTEGER NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    source TEXT NOT NULL,
    papers TEXT NOT NULL,
    templates TEXT NOT NULL,
    templates_version TEXT NOT NULL,
    created_at TEXT NOT NULL,
    completed_at TEXT,
    run_owner TEXT,
    run_heartbeat_at TEXT,
    UNIQUE (list_id, day)
  );
  CREATE INDEX editions_day ON editions (day);

  CREATE TABLE deliveries (
    edition_id INTEGER NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'retry', 'failed', 'skipped')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    message_id TEXT NOT NULL,
    next_attempt_at TEXT,
    claimed_at TEXT,
    sent_at TEXT,
    PRIMARY KEY (edition_id, subscriber_id)
  ) WITHOUT ROWID;
  -- No index on status: every send changes it twice, and the primary key (edition, subscriber)
  -- already serves the due-rows scan, which runs in subscriber order anyway.
  CREATE INDEX deliveries_subscriber ON deliveries (subscriber_id);
  `,
  // 3: every sender run has a lease of its own, and a ledger row belongs to the run that claimed it
  // (a stalled run that lost its lease can change nothing); failure kinds for reports and
  // --retry-failed; a random id per store, so Message-IDs never collide across stores.
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  INSERT INTO meta (key, value) VALUES ('store_id', lower(hex(randomblob(5))));

  CREATE TABLE delivery_runs (
    id TEXT PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    started_at TEXT NOT NULL,
    lease_until TEXT NOT NULL
  );
  CREATE INDEX delivery_runs_edition ON delivery_runs (edition_id);

  ALTER TABLE deliveries ADD COLUMN claimed_by TEXT;
  ALTER TABLE deliveries ADD COLUMN failure_kind TEXT;
  ALTER TABLE editions DROP COLUMN run_owner;
  ALTER TABLE editions DROP COLUMN run_heartbeat_at;
  `,
  // 4: one person is one address (case-folded identity, duplicates merged); per-address limits on
  // confirmation mails, shared by every process on the store; lists are public or private.
  (db) => {
    mergeCaseDuplicates(db);
    db.exec(`
      CREATE TABLE confirmation_sends (email_key TEXT NOT NULL, sent_at TEXT NOT NULL);
      CREATE INDEX confirmation_sends_key ON confirmation_sends (email_key, sent_at);
      ALTER TABLE lists ADD COLUMN public INTEGER NOT NULL DEFAULT 0;
      UPDATE lists SET public = 1 WHERE name = 'default';
    `);
  },
  // 5: what comes back after a send — bounces (DSNs), complaints (ARF), auto-replies — one row per
  // report and recipient; the same report ingested twice is one row (dedupe_key).
  `
  CREATE TABLE bounce_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    dedupe_key TEXT NOT NULL UNIQUE,
    subscriber_id INTEGER REFERENCES subscribers (id) ON DELETE CASCADE,
    edition_id INTEGER REFERENCES editions (id) ON DELETE SET NULL,
    kind TEXT NOT NULL CHECK (kind IN ('bounce', 'complaint', 'auto-reply', 'not-bounce')),
    email TEXT,
    status TEXT,
    hard INTEGER,
    reason TEXT,
    source TEXT NOT NULL,
    action TEXT NOT NULL,
    received_at TEXT NOT NULL
  );
  CREATE INDEX bounce_events_subscriber ON bounce_events (subscriber_id, received_at);
  CREATE INDEX bounce_events_edition ON bounce_events (edition_id, kind);
  CREATE INDEX bounce_events_received ON bounce_events (received_at);
  `,
  // 6: each reader's rhythm (daily, weekly roundup, or only alert matches) and saved-search alerts
  // (a JSON array, normalized, so readers with the same searches share one text and one scoring).
  `
  ALTER TABLE subscribers ADD COLUMN frequency TEXT NOT NULL DEFAULT 'daily' CHECK (frequency IN ('daily', 'weekly', 'alerts'));
  ALTER TABLE subscribers ADD COLUMN alerts TEXT NOT NULL DEFAULT '[]';
  `,
  // 7: how each report was tied to its reader (proof or address alone) and when the operator
  // reviewed one held back; tokens a webhook may use once (Mailgun's), shared by every process.
  `
  ALTER TABLE bounce_events ADD COLUMN evidence TEXT;
  ALTER TABLE bounce_events ADD COLUMN reviewed_at TEXT;
  CREATE INDEX bounce_events_waiting ON bounce_events (action, received_at) WHERE action IN ('unverified', 'held');
  CREATE TABLE used_tokens (token TEXT PRIMARY KEY, expires_at TEXT NOT NULL) WITHOUT ROWID;
  `,
  // 8: deferrals that outlive a run (when the receiving side first deferred a message), the
  // transport an edition went out through (for the commands printed after it), and one pace
  // for every sender of an edition; retry rows are found by time without reading the ledger.
  `
  ALTER TABLE deliveries ADD COLUMN deferred_since TEXT;
  CREATE INDEX deliveries_retry ON deliveries (next_attempt_at) WHERE status = 'retry';
  ALTER TABLE editions ADD COLUMN transport TEXT;
  CREATE TABLE send_pacing (edition_id INTEGER PRIMARY KEY REFERENCES editions (id) ON DELETE CASCADE, next_slot_ms INTEGER NOT NULL);
  `,
  // 9: the demo readers seeded from example.csv are marked, so mail through a real transport never
  // reaches them and \`demo clear\` can take them out. Stores seeded before this know them by address.
  `
  ALTER TABLE subscribers ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
  UPDATE subscribers SET demo = 1 WHERE source = 'import'
    AND email_key IN ('ada@example.org', 'alan@example.org', 'grace@example.org', 'katherine@example.org', 'emmy@example.org');
  `,
];
