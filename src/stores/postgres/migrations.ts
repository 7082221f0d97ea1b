import { adminAuthTables, firstParts, type MigrationDialect, sharedMigrations, typeSpelling } from '../common/index.js';
import { createCheckedMatch, indexEveryPaper } from './paper-index.js';
import type { PgQueryable } from './pool.js';
import { postgresReaderHistory } from './reader-history.js';

const postgresDialect: MigrationDialect = {
  backend: 'postgres',
  serialKey: `${typeSpelling.postgres.serial} PRIMARY KEY`,
  withoutRowid: '',
  true: 'true',
  false: 'false',
  nextSlot: `next_slot ${typeSpelling.postgres.timestamp}`,
  // How PostgreSQL searches the papers archive (sql/papers.ts ranks with it):
  // - document: every word of a paper, stemmed, weighted A title, B keywords, C summary, D authors,
  //   kept by the database itself, GIN-indexed to find papers; heading: its title's and keywords' alone, to rank them;
  // - both stay in the row, uncompressed (MAIN; tsvectors barely compress), and the summary leaves it
  //   (EXTERNAL): a search reads and ranks every paper it finds, and fetching each one's words from
  //   the TOAST table cost more than all the rest of a search.
  // A phrase or a proximity search finds here what it finds in SQLite's FTS5, where each field is a
  // column of its own and a hyphenated word is its parts:
  // - paperboy_english is english without the whole-hyphenated-word tokens: "Mixture-of-Experts"
  //   is mixture, of, experts at consecutive positions, not also one compound that shifts the rest;
  // - keywords and authors are read as their JSON text, in one run of positions, as FTS5 reads them;
  // - '|' (which no query can name: the parser never makes it a word) stands 16 positions after
  //   each field (|| shifts the next past the largest position), so no phrase runs from one into the next.
  paperSearch: `CREATE TEXT SEARCH CONFIGURATION paperboy_english (COPY = pg_catalog.english);
  ALTER TEXT SEARCH CONFIGURATION paperboy_english DROP MAPPING FOR asciihword, hword, numhword;
  ALTER TABLE papers ADD COLUMN document tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('paperboy_english', title), 'A') || '''|'':16'::tsvector
    || setweight(to_tsvector('paperboy_english', keywords::text), 'B') || '''|'':16'::tsvector
    || setweight(to_tsvector('paperboy_english', summary), 'C') || '''|'':16'::tsvector
    || setweight(to_tsvector('paperboy_english', authors::text), 'D')
  ) STORED;
  ALTER TABLE papers ADD COLUMN heading tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('paperboy_english', title), 'A') || '''|'':16'::tsvector || setweight(to_tsvector('paperboy_english', keywords::text), 'B')
  ) STORED;
  ALTER TABLE papers ALTER COLUMN document SET STORAGE MAIN, ALTER COLUMN heading SET STORAGE MAIN, ALTER COLUMN summary SET STORAGE EXTERNAL;
  CREATE INDEX papers_document ON papers USING gin (document);`,
  utcDay: (timestamp) => `to_char(${timestamp} AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
};
const first = firstParts(postgresDialect);

/**
 * PostgreSQL schema, versioned like the SQLite one (schema_migrations records how far a
 * database got). Version 1 is the whole schema as SQLite has it after its migration 4; later
 * versions follow the SQLite ones step for step. Never edit a shipped migration: add the next.
 */
/** A step: SQL, or a function for what SQL alone cannot do. */
export type PostgresMigration = string | ((db: PgQueryable) => Promise<void>);

/** Runs one step on `db` (the migrator's transaction, or a test's or benchmark's old database). */
export async function applyPostgresMigration(db: PgQueryable, step: PostgresMigration): Promise<void> {
  if (typeof step === 'string') await db.query(step);
  else await step(db);
}

export const postgresMigrations: readonly PostgresMigration[] = [
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
    ${first.subscriberColumns}
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
    ${first.editionColumns}
    UNIQUE (list_id, day)
  );
  CREATE INDEX editions_day ON editions (day);

  -- fillfactor: every send updates its row twice; room on the page keeps those updates HOT
  -- (no index is touched: status has no index of its own).
  CREATE TABLE deliveries (
    ${first.deliveryColumns}
    claimed_by text,
    failure_kind text,
    PRIMARY KEY (edition_id, subscriber_id)
  ) WITH (fillfactor = 70);
  CREATE INDEX deliveries_subscriber ON deliveries (subscriber_id);

  ${first.deliveryRuns}

  CREATE TABLE confirmation_sends (email_key text NOT NULL, sent_at timestamptz NOT NULL);
  CREATE INDEX confirmation_sends_key ON confirmation_sends (email_key, sent_at);
  `,
  // 2 to 8: what both backends took alike (SQLite's 5 to 11; common/migrations.ts)
  ...sharedMigrations(postgresDialect),
  // 9: the admin side's sessions, sign-in links, sign-in attempts and audit trail (SQLite's 12)
  adminAuthTables(postgresDialect),
  // 10 (SQLite's 13): the words indexed are those alerts read (searchableText: hyphens split,
  // "GraphRAG" is also RAG), which a generated column cannot compute: the store writes them
  // (paper-index.ts) from text it binds, and every kept paper is indexed anew, the GIN index built
  // once afterwards rather than row by row. A search ranks the newest matches by where they hold
  // it (sql/papers.ts): papers_newest walks them, the heading is no longer read.
  async (db) => {
    await db.query(`ALTER TABLE papers ALTER COLUMN document DROP EXPRESSION;
      ALTER TABLE papers DROP COLUMN heading;
      DROP INDEX papers_document;
      ${createCheckedMatch};`);
    await indexEveryPaper(db);
    await db.query(`CREATE INDEX papers_document ON papers USING gin (document);
      CREATE INDEX papers_newest ON papers (day, id);`);
  },
  // 11: readers' status history, its daily counts and finished editions' counts, for the admin dashboard (SQLite's 14)
  postgresReaderHistory(postgresDialect), // 12 (SQLite's 15): forgetting the day-old confirmation sends on every subscribe walked the whole table
  'CREATE INDEX confirmation_sends_time ON confirmation_sends (sent_at);',
];
