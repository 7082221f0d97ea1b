/**
 * PostgreSQL schema, versioned like the SQLite one (schema_migrations records how far a
 * database got). Version 1 is the whole schema as SQLite has it after its migration 4; later
 * versions follow the SQLite ones step for step. Never edit a shipped migration: add the next.
 */
export const postgresMigrations: readonly string[] = [
  // 1: subscribers, lists, editions, the ledger, run leases, per-address limits, the store id
  `
  CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);
  INSERT INTO meta (key, value) VALUES ('store_id', substr(md5(random()::text || clock_timestamp()::text), 1, 10));

  CREATE TABLE lists (
    id bigserial PRIMARY KEY,
    name text NOT NULL UNIQUE,
    description text NOT NULL DEFAULT '',
    public boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  INSERT INTO lists (name, description, public) VALUES ('default', 'Everyone who subscribes', true);

  CREATE TABLE subscribers (
    id bigserial PRIMARY KEY,
    email text NOT NULL,
    email_key text NOT NULL UNIQUE,
    name text NOT NULL DEFAULT '',
    status text NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed', 'bounced', 'complained')),
    source text NOT NULL CHECK (source IN ('cli', 'import', 'web')),
    topics jsonb NOT NULL DEFAULT '[]',
    max_papers integer,
    created_at timestamptz NOT NULL,
    confirmed_at timestamptz,
    unsubscribed_at timestamptz,
    last_sent_at timestamptz
  );
  -- No index on status: pages walk the primary key and filter, counts scan; an import writes one index fewer.

  -- No foreign keys here: their per-row checks were 40% of an import's database time, and the
  -- rows only ever come from the store, which writes them with the ids it just read or made and
  -- deletes them itself with their subscriber or list (postgres-store.ts: remove, removeList).
  CREATE TABLE list_members (
    list_id bigint NOT NULL,
    subscriber_id bigint NOT NULL,
    status text NOT NULL CHECK (status IN ('active', 'unsubscribed')),
    added_at timestamptz NOT NULL,
    unsubscribed_at timestamptz,
    PRIMARY KEY (list_id, subscriber_id)
  );
  CREATE INDEX list_members_subscriber ON list_members (subscriber_id);

  CREATE TABLE editions (
    id bigserial PRIMARY KEY,
    list_id bigint NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    day text NOT NULL,
    source text NOT NULL,
    papers jsonb NOT NULL,
    templates jsonb NOT NULL,
    templates_version text NOT NULL,
    created_at timestamptz NOT NULL,
    completed_at timestamptz,
    UNIQUE (list_id, day)
  );
  CREATE INDEX editions_day ON editions (day);

  -- fillfactor: every send updates its row twice; room on the page keeps those updates HOT
  -- (no index is touched: status has no index of its own).
  CREATE TABLE deliveries (
    edition_id bigint NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    subscriber_id bigint NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    status text NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'retry', 'failed', 'skipped')),
    attempts integer NOT NULL DEFAULT 0,
    last_error text,
    message_id text NOT NULL,
    next_attempt_at timestamptz,
    claimed_at timestamptz,
    sent_at timestamptz,
    claimed_by text,
    failure_kind text,
    PRIMARY KEY (edition_id, subscriber_id)
  ) WITH (fillfactor = 70);
  CREATE INDEX deliveries_subscriber ON deliveries (subscriber_id);

  CREATE TABLE delivery_runs (
    id text PRIMARY KEY,
    edition_id bigint NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    started_at timestamptz NOT NULL,
    lease_until timestamptz NOT NULL
  );
  CREATE INDEX delivery_runs_edition ON delivery_runs (edition_id);

  CREATE TABLE confirmation_sends (email_key text NOT NULL, sent_at timestamptz NOT NULL);
  CREATE INDEX confirmation_sends_key ON confirmation_sends (email_key, sent_at);
  `,
  // 2: what comes back after a send (SQLite's migration 5)
  `
  CREATE TABLE bounce_events (
    id bigserial PRIMARY KEY,
    dedupe_key text NOT NULL UNIQUE,
    subscriber_id bigint REFERENCES subscribers (id) ON DELETE CASCADE,
    edition_id bigint REFERENCES editions (id) ON DELETE SET NULL,
    kind text NOT NULL CHECK (kind IN ('bounce', 'complaint', 'auto-reply', 'not-bounce')),
    email text,
    status text,
    hard boolean,
    reason text,
    source text NOT NULL,
    action text NOT NULL,
    received_at timestamptz NOT NULL
  );
  CREATE INDEX bounce_events_subscriber ON bounce_events (subscriber_id, received_at);
  CREATE INDEX bounce_events_edition ON bounce_events (edition_id, kind);
  CREATE INDEX bounce_events_received ON bounce_events (received_at);
  `,
  // 3: each reader's rhythm and saved-search alerts (SQLite's migration 6)
  `
  ALTER TABLE subscribers ADD COLUMN frequency text NOT NULL DEFAULT 'daily' CHECK (frequency IN ('daily', 'weekly', 'alerts'));
  ALTER TABLE subscribers ADD COLUMN alerts jsonb NOT NULL DEFAULT '[]';
  `,
  // 4: evidence, review and single-use webhook tokens (SQLite's migration 7)
  `
  ALTER TABLE bounce_events ADD COLUMN evidence text;
  ALTER TABLE bounce_events ADD COLUMN reviewed_at timestamptz;
  CREATE INDEX bounce_events_waiting ON bounce_events (action, received_at) WHERE action IN ('unverified', 'held');
  CREATE TABLE used_tokens (token text PRIMARY KEY, expires_at timestamptz NOT NULL);
  `,
  // 5: deferrals across runs, the edition's transport, one pace for every sender (SQLite's migration 8)
  `
  ALTER TABLE deliveries ADD COLUMN deferred_since timestamptz;
  CREATE INDEX deliveries_retry ON deliveries (next_attempt_at) WHERE status = 'retry';
  ALTER TABLE editions ADD COLUMN transport text;
  CREATE TABLE send_pacing (edition_id bigint PRIMARY KEY REFERENCES editions (id) ON DELETE CASCADE, next_slot timestamptz NOT NULL);
  `,
  // 6: demo readers are marked (SQLite's migration 9)
  `
  ALTER TABLE subscribers ADD COLUMN demo boolean NOT NULL DEFAULT false;
  UPDATE subscribers SET demo = true WHERE source = 'import'
    AND email_key IN ('ada@example.org', 'alan@example.org', 'grace@example.org', 'katherine@example.org', 'emmy@example.org');
  `,
];
