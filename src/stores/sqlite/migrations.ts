import type { Database } from 'better-sqlite3';
import { adminAuthTables, firstParts, type MigrationDialect, sharedMigrations, typeSpelling } from '../common/index.js';
import { mergeCaseDuplicates } from './merge-case-duplicates.js';
import { indexEveryPaper, searchKey } from './paper-index.js';
import { sqliteReaderHistory } from './reader-history.js';

const sqliteDialect: MigrationDialect = {
  backend: 'sqlite',
  serialKey: `${typeSpelling.sqlite.serial} PRIMARY KEY AUTOINCREMENT`,
  withoutRowid: ' WITHOUT ROWID',
  true: '1',
  false: '0',
  nextSlot: `next_slot_ms ${typeSpelling.sqlite.integer}`,
  // An external-content FTS5 table (the text stays in papers, once) kept in step by triggers; an
  // update re-indexes a paper only when its text changed, not for every new upvote. Keywords and
  // authors are indexed as their JSON text: the tokenizer reads its brackets and quotes as spaces.
  // papers_ranking holds what a search orders every paper it finds by, a few bytes a paper: read
  // from the rows themselves (a page each, the abstract in it) a broad search took twice as long.
  paperSearch: `CREATE INDEX papers_ranking ON papers (id, upvotes, day, paper_id);
  CREATE VIRTUAL TABLE papers_fts USING fts5 (title, keywords, summary, authors, content = 'papers', content_rowid = 'id', tokenize = 'porter unicode61');
  CREATE TRIGGER papers_fts_insert AFTER INSERT ON papers BEGIN
    INSERT INTO papers_fts (rowid, title, keywords, summary, authors) VALUES (new.id, new.title, new.keywords, new.summary, new.authors);
  END;
  CREATE TRIGGER papers_fts_delete AFTER DELETE ON papers BEGIN
    INSERT INTO papers_fts (papers_fts, rowid, title, keywords, summary, authors) VALUES ('delete', old.id, old.title, old.keywords, old.summary, old.authors);
  END;
  CREATE TRIGGER papers_fts_update AFTER UPDATE OF title, keywords, summary, authors ON papers
  WHEN old.title IS NOT new.title OR old.keywords IS NOT new.keywords OR old.summary IS NOT new.summary OR old.authors IS NOT new.authors BEGIN
    INSERT INTO papers_fts (papers_fts, rowid, title, keywords, summary, authors) VALUES ('delete', old.id, old.title, old.keywords, old.summary, old.authors);
    INSERT INTO papers_fts (rowid, title, keywords, summary, authors) VALUES (new.id, new.title, new.keywords, new.summary, new.authors);
  END;`,
  utcDay: (timestamp) => `substr(${timestamp}, 1, 10)`,
};
const first = firstParts(sqliteDialect);

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
    ${first.subscriberColumns}
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
    ${first.editionColumns}
    run_owner TEXT,
    run_heartbeat_at TEXT,
    UNIQUE (list_id, day)
  );
  CREATE INDEX editions_day ON editions (day);

  CREATE TABLE deliveries (
    ${first.deliveryColumns}
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

  ${first.deliveryRuns}

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
  // 5 to 11: what both backends took alike (common/migrations.ts)
  ...sharedMigrations(sqliteDialect),
  // 12: the admin side's sessions, sign-in links, sign-in attempts and audit trail
  adminAuthTables(sqliteDialect),
  // 13: papers_fts indexes what alerts read (searchableText: hyphens split, "GraphRAG" is also RAG),
  // which the triggers could not compute: a contentless table the store writes (paper-index.ts),
  // still without a second copy of the text, each paper's rowid its day and id. A deleted paper's
  // words go by trigger. Every kept paper is indexed anew.
  (db) => {
    db.exec(`
      DROP TRIGGER papers_fts_insert;
      DROP TRIGGER papers_fts_update;
      DROP TRIGGER papers_fts_delete;
      DROP TABLE papers_fts;
      CREATE VIRTUAL TABLE papers_fts USING fts5 (title, keywords, summary, authors, content = '', contentless_delete = 1, tokenize = 'porter unicode61');
      CREATE TRIGGER papers_fts_delete AFTER DELETE ON papers BEGIN
        DELETE FROM papers_fts WHERE rowid = ${searchKey('old.day', 'old.id')};
      END;
    `);
    indexEveryPaper(db);
    // One b-tree for the index written in one go (FTS5 flushes a long transaction in many pieces).
    db.exec(`INSERT INTO papers_fts (papers_fts) VALUES ('optimize')`);
  },
  // 14: readers' status history, its daily counts and finished editions' counts, for the admin dashboard
  sqliteReaderHistory(sqliteDialect), // 15: forgetting the confirmation sends of more than a day ago, on every subscribe, walked the
  // whole table: a flood of sign-ups made each one slower than the last
  'CREATE INDEX confirmation_sends_time ON confirmation_sends (sent_at);',
];
