import { type Backend, typeSpelling } from './schema.js';

/** What a backend writes where the two differ in more than a column's type. */
export interface MigrationDialect {
  backend: Backend;
  /** A serial id column: its type and key clause. */
  serialKey: string;
  /** Ends a table kept in its key's order. */
  withoutRowid: string;
  true: string;
  false: string;
  /** send_pacing's next slot: SQLite paces by the sending process's clock, PostgreSQL by the server's. */
  nextSlot: string;
  /** The full-text index of the papers archive, in the backend's own engine (SQLite's FTS5, PostgreSQL's tsvector and GIN). */
  paperSearch: string;
  /** The UTC day (YYYY-MM-DD) of a timestamp expression. */
  utcDay: (timestamp: string) => string;
}

/**
 * What both backends' first migrations (SQLite's 1 to 3, PostgreSQL's 1) wrote alike, each in
 * the backend's own types: runs of columns, and the run leases table. What differs around them
 * stays in each backend's step. Shipped, like the steps below: never edit one.
 */
export function firstParts(dialect: MigrationDialect): Record<'subscriberColumns' | 'editionColumns' | 'deliveryColumns' | 'deliveryRuns', string> {
  const t = typeSpelling[dialect.backend];
  return {
    subscriberColumns: `name ${t.text} NOT NULL DEFAULT '',
    status ${t.text} NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed', 'bounced', 'complained')),
    source ${t.text} NOT NULL CHECK (source IN ('cli', 'import', 'web')),
    topics ${t.json} NOT NULL DEFAULT '[]',
    max_papers ${t.integer},
    created_at ${t.timestamp} NOT NULL,
    confirmed_at ${t.timestamp},
    unsubscribed_at ${t.timestamp},
    last_sent_at ${t.timestamp}`,
    editionColumns: `id ${dialect.serialKey},
    list_id ${t.reference} NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    day ${t.text} NOT NULL,
    source ${t.text} NOT NULL,
    papers ${t.json} NOT NULL,
    templates ${t.json} NOT NULL,
    templates_version ${t.text} NOT NULL,
    created_at ${t.timestamp} NOT NULL,
    completed_at ${t.timestamp},`,
    deliveryColumns: `edition_id ${t.reference} NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    subscriber_id ${t.reference} NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    status ${t.text} NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'retry', 'failed', 'skipped')),
    attempts ${t.integer} NOT NULL DEFAULT 0,
    last_error ${t.text},
    message_id ${t.text} NOT NULL,
    next_attempt_at ${t.timestamp},
    claimed_at ${t.timestamp},
    sent_at ${t.timestamp},`,
    deliveryRuns: `CREATE TABLE delivery_runs (
    id ${t.text} PRIMARY KEY,
    edition_id ${t.reference} NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    started_at ${t.timestamp} NOT NULL,
    lease_until ${t.timestamp} NOT NULL
  );
  CREATE INDEX delivery_runs_edition ON delivery_runs (edition_id);`,
  };
}

/**
 * The migrations both backends took alike once PostgreSQL caught up (SQLite's 5 to 11 are
 * PostgreSQL's 2 to 8), each spelled in the backend's own types. Shipped: never edit one (a test
 * pins their text); add the next step to each backend.
 */
export function sharedMigrations(dialect: MigrationDialect): string[] {
  const t = typeSpelling[dialect.backend];
  return [
    // What comes back after a send — bounces (DSNs), complaints (ARF), auto-replies — one row per
    // report and recipient; the same report ingested twice is one row (dedupe_key).
    `
  CREATE TABLE bounce_events (
    id ${dialect.serialKey},
    dedupe_key ${t.text} NOT NULL UNIQUE,
    subscriber_id ${t.reference} REFERENCES subscribers (id) ON DELETE CASCADE,
    edition_id ${t.reference} REFERENCES editions (id) ON DELETE SET NULL,
    kind ${t.text} NOT NULL CHECK (kind IN ('bounce', 'complaint', 'auto-reply', 'not-bounce')),
    email ${t.text},
    status ${t.text},
    hard ${t.boolean},
    reason ${t.text},
    source ${t.text} NOT NULL,
    action ${t.text} NOT NULL,
    received_at ${t.timestamp} NOT NULL
  );
  CREATE INDEX bounce_events_subscriber ON bounce_events (subscriber_id, received_at);
  CREATE INDEX bounce_events_edition ON bounce_events (edition_id, kind);
  CREATE INDEX bounce_events_received ON bounce_events (received_at);
  `,
    // Each reader's rhythm (daily, weekly roundup, or only alert matches) and saved-search alerts
    // (a JSON array, normalized, so readers with the same searches share one text and one scoring).
    `
  ALTER TABLE subscribers ADD COLUMN frequency ${t.text} NOT NULL DEFAULT 'daily' CHECK (frequency IN ('daily', 'weekly', 'alerts'));
  ALTER TABLE subscribers ADD COLUMN alerts ${t.json} NOT NULL DEFAULT '[]';
  `,
    // How each report was tied to its reader (proof or address alone) and when the operator
    // reviewed one held back; tokens a webhook may use once (Mailgun's), shared by every process.
    `
  ALTER TABLE bounce_events ADD COLUMN evidence ${t.text};
  ALTER TABLE bounce_events ADD COLUMN reviewed_at ${t.timestamp};
  CREATE INDEX bounce_events_waiting ON bounce_events (action, received_at) WHERE action IN ('unverified', 'held');
  CREATE TABLE used_tokens (token ${t.text} PRIMARY KEY, expires_at ${t.timestamp} NOT NULL)${dialect.withoutRowid};
  `,
    // Deferrals that outlive a run (when the receiving side first deferred a message), the
    // transport an edition went out through (for the commands printed after it), and one pace
    // for every sender of an edition; retry rows are found by time without reading the ledger.
    `
  ALTER TABLE deliveries ADD COLUMN deferred_since ${t.timestamp};
  CREATE INDEX deliveries_retry ON deliveries (next_attempt_at) WHERE status = 'retry';
  ALTER TABLE editions ADD COLUMN transport ${t.text};
  CREATE TABLE send_pacing (edition_id ${t.reference} PRIMARY KEY REFERENCES editions (id) ON DELETE CASCADE, ${dialect.nextSlot} NOT NULL);
  `,
    // The demo readers seeded from example.csv are marked, so mail through a real transport never
    // reaches them and `demo clear` can take them out. Stores seeded before this know them by address.
    `
  ALTER TABLE subscribers ADD COLUMN demo ${t.boolean} NOT NULL DEFAULT ${dialect.false};
  UPDATE subscribers SET demo = ${dialect.true} WHERE source = 'import'
    AND email_key IN ('ada@example.org', 'alan@example.org', 'grace@example.org', 'katherine@example.org', 'emmy@example.org');
  `,
    // Which relay of delivery.relays took each message (or refused it), for the counts per relay; NULL through one transport.
    `
  ALTER TABLE deliveries ADD COLUMN relay ${t.text};
  `,
    // The papers archive and its full-text index.
    papersArchive(dialect),
  ];
}

/**
 * Every paper of every fetched day, not only an edition's selection: one row per day and paper (a
 * refetch updates it), for search and alerts, with the source it came from (demo clear takes the
 * sample's out). Title, keywords, summary and authors go into the backend's own full-text index.
 * The short columns come first: a search reads day, id and upvotes of every paper it finds, and
 * SQLite reads a row's columns in order, through the long ones before them.
 */
function papersArchive(dialect: MigrationDialect): string {
  const t = typeSpelling[dialect.backend];
  return `
  CREATE TABLE papers (
    id ${dialect.serialKey},
    day ${t.text} NOT NULL,
    paper_id ${t.text} NOT NULL,
    upvotes ${t.integer} NOT NULL,
    comments ${t.integer} NOT NULL,
    github_stars ${t.integer},
    source ${t.text} NOT NULL,
    kept_at ${t.timestamp} NOT NULL,
    published_at ${t.text},
    organization ${t.text},
    github_repo ${t.text},
    project_page ${t.text},
    thumbnail ${t.text},
    title ${t.text} NOT NULL,
    keywords ${t.json} NOT NULL,
    authors ${t.json} NOT NULL,
    ai_summary ${t.text},
    summary ${t.text} NOT NULL,
    UNIQUE (day, paper_id)
  );
  ${dialect.paperSearch}
  `;
}
