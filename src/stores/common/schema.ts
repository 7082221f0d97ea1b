/**
 * Every table paperboy keeps, described once: what each backend's migrations create (a parity
 * test opens both and compares them with this) and what `db copy` moves. A new column goes in a
 * migration of each backend and here; the test names whatever is missing.
 */

/** How a column's values are kept, whatever a backend calls it. */
export type LogicalType =
  | 'serial' // the table's own id, handed out by the database and never reused
  | 'reference' // another table's id
  | 'integer'
  | 'text'
  | 'boolean'
  | 'timestamp' // an instant, read and written as ISO 8601 text
  | 'json';

/** A column's logical type, ending in `?` when the column may be NULL. */
export type ColumnSpec = LogicalType | `${LogicalType}?`;
export type Columns = Readonly<Record<string, ColumnSpec>>;

export type Backend = 'sqlite' | 'postgres';

export interface TableDescription {
  name: string;
  /** The primary key's columns, in order (none: the table has no key). */
  key: readonly string[];
  /** The columns both backends have. */
  columns: Columns;
  /** Where a backend differs, as its migrations shipped: columns of its own, or its own spec of a shared one. */
  only?: Partial<Record<Backend, Columns>>;
  /** What `db copy` leaves out: the whole table (false), or some of its columns. */
  copy?: false | { except: readonly string[] };
}

/** How each backend spells each logical type in its migrations. */
export const typeSpelling: Readonly<Record<Backend, Readonly<Record<LogicalType, string>>>> = {
  sqlite: { serial: 'INTEGER', reference: 'INTEGER', integer: 'INTEGER', text: 'TEXT', boolean: 'INTEGER', timestamp: 'TEXT', json: 'TEXT' },
  postgres: { serial: 'bigserial', reference: 'bigint', integer: 'integer', text: 'text', boolean: 'boolean', timestamp: 'timestamptz', json: 'jsonb' },
};

/** Tables a backend keeps for itself (AUTOINCREMENT's counters, the migration versions): not paperboy's data. */
export const bookkeepingTables: Readonly<Record<Backend, readonly string[]>> = {
  sqlite: ['sqlite_sequence'],
  postgres: ['schema_migrations'],
};

/**
 * What each backend keeps of its own to search the papers archive, made by the store from
 * described columns: an index, not data. `db copy` leaves it out and the target builds its own.
 */
export const searchIndexes: Readonly<Record<Backend, { tables: readonly string[]; columns: Readonly<Record<string, Readonly<Record<string, string>>>> }>> = {
  // FTS5's contentless table over papers, and the tables it keeps its index in.
  sqlite: { tables: ['papers_fts', 'papers_fts_data', 'papers_fts_idx', 'papers_fts_docsize', 'papers_fts_config'], columns: {} },
  // The paper's weighted words (GIN-indexed).
  postgres: { tables: [], columns: { papers: { document: 'tsvector' } } },
};

/** A column's logical type and whether it may be NULL. */
export function columnType(spec: ColumnSpec): { type: LogicalType; nullable: boolean } {
  return spec.endsWith('?') ? { type: spec.slice(0, -1) as LogicalType, nullable: true } : { type: spec as LogicalType, nullable: false };
}

/** The columns a table has on `backend`: the shared ones, then that backend's own. */
export function columnsOn(table: TableDescription, backend: Backend): Columns {
  return { ...table.columns, ...table.only?.[backend] };
}

/** In an order that keeps every reference valid: `db copy` fills the tables in this order. */
export const schema: readonly TableDescription[] = [
  // The store id is carried over by `db copy` itself; the table is the migration's own.
  { name: 'meta', key: ['key'], columns: { key: 'text', value: 'text' }, copy: false },
  { name: 'lists', key: ['id'], columns: { id: 'serial', name: 'text', description: 'text', public: 'boolean', created_at: 'timestamp' } },
  {
    name: 'subscribers',
    key: ['id'],
    columns: {
      id: 'serial',
      email: 'text',
      email_key: 'text',
      name: 'text',
      status: 'text',
      source: 'text',
      topics: 'json',
      max_papers: 'integer?',
      created_at: 'timestamp',
      confirmed_at: 'timestamp?',
      unsubscribed_at: 'timestamp?',
      last_sent_at: 'timestamp?',
      frequency: 'text',
      alerts: 'json',
      demo: 'boolean',
    },
    // SQLite added email_key to rows that had none (migration 4): its unique index and the store keep it filled.
    only: { sqlite: { email_key: 'text?' } },
  },
  {
    name: 'list_members',
    key: ['list_id', 'subscriber_id'],
    columns: { list_id: 'reference', subscriber_id: 'reference', status: 'text', added_at: 'timestamp', unsubscribed_at: 'timestamp?' },
  },
  {
    name: 'editions',
    key: ['id'],
    columns: {
      id: 'serial',
      list_id: 'reference',
      day: 'text',
      source: 'text',
      papers: 'json',
      templates: 'json',
      templates_version: 'text',
      created_at: 'timestamp',
      completed_at: 'timestamp?',
      transport: 'text?',
    },
  },
  {
    name: 'deliveries',
    key: ['edition_id', 'subscriber_id'],
    columns: {
      edition_id: 'reference',
      subscriber_id: 'reference',
      status: 'text',
      attempts: 'integer',
      last_error: 'text?',
      message_id: 'text',
      next_attempt_at: 'timestamp?',
      claimed_at: 'timestamp?',
      sent_at: 'timestamp?',
      claimed_by: 'text?',
      failure_kind: 'text?',
      deferred_since: 'timestamp?',
      relay: 'text?',
    },
    // claimed_by names a run's lease, and leases are not copied.
    copy: { except: ['claimed_by'] },
  },
  // Run leases and the pace of a send: no run is going on during a copy.
  { name: 'delivery_runs', key: ['id'], columns: { id: 'text', edition_id: 'reference', started_at: 'timestamp', lease_until: 'timestamp' }, copy: false },
  {
    name: 'send_pacing',
    key: ['edition_id'],
    columns: { edition_id: 'reference' },
    // SQLite paces by the sending process's clock, PostgreSQL by the server's.
    only: { sqlite: { next_slot_ms: 'integer' }, postgres: { next_slot: 'timestamp' } },
    copy: false,
  },
  { name: 'confirmation_sends', key: [], columns: { email_key: 'text', sent_at: 'timestamp' } },
  { name: 'used_tokens', key: ['token'], columns: { token: 'text', expires_at: 'timestamp' } },
  {
    name: 'bounce_events',
    key: ['id'],
    columns: {
      id: 'serial',
      dedupe_key: 'text',
      subscriber_id: 'reference?',
      edition_id: 'reference?',
      kind: 'text',
      email: 'text?',
      status: 'text?',
      hard: 'boolean?',
      reason: 'text?',
      source: 'text',
      action: 'text',
      received_at: 'timestamp',
      evidence: 'text?',
      reviewed_at: 'timestamp?',
    },
  },
  {
    name: 'papers',
    key: ['id'],
    columns: {
      id: 'serial',
      day: 'text',
      paper_id: 'text',
      upvotes: 'integer',
      comments: 'integer',
      github_stars: 'integer?',
      source: 'text',
      kept_at: 'timestamp',
      published_at: 'text?',
      organization: 'text?',
      github_repo: 'text?',
      project_page: 'text?',
      thumbnail: 'text?',
      title: 'text',
      keywords: 'json',
      authors: 'json',
      ai_summary: 'text?',
      summary: 'text',
    },
  },
  // The admin side's sign-in state: sessions, links and recent attempts are not copied (whoever was signed in signs in again).
  {
    name: 'admin_sessions',
    key: ['id_hash'],
    columns: { id_hash: 'text', account: 'text', created_at: 'timestamp', last_seen_at: 'timestamp', expires_at: 'timestamp', ip: 'text' },
    copy: false,
  },
  {
    name: 'admin_links',
    key: ['token_hash'],
    columns: { token_hash: 'text', created_at: 'timestamp', expires_at: 'timestamp', used_at: 'timestamp?' },
    copy: false,
  },
  { name: 'admin_login_failures', key: [], columns: { key: 'text', at: 'timestamp', attempt: 'text' }, copy: false },
  {
    name: 'admin_audit',
    key: ['id'],
    columns: { id: 'serial', at: 'timestamp', account: 'text', ip: 'text', action: 'text', target: 'text?', detail: 'json' },
  },
  // The admin dashboard's (common/reader-history.ts). A copy moves them as they are, with the
  // target's triggers off: the history and the counts are the source's, not what inserting the
  // copied readers would make of them.
  { name: 'subscriber_events', key: ['id'], columns: { id: 'serial', subscriber_id: 'reference', at: 'timestamp', from_status: 'text', status: 'text' } },
  {
    name: 'reader_status_days',
    key: ['day', 'status', 'slot'],
    columns: { day: 'text', status: 'text', slot: 'integer', entered: 'integer', exited: 'integer' },
  },
  {
    name: 'edition_counts',
    key: ['edition_id'],
    columns: {
      edition_id: 'reference',
      pending: 'integer',
      sending: 'integer',
      sent: 'integer',
      retry: 'integer',
      failed: 'integer',
      skipped: 'integer',
      first_sent_at: 'timestamp?',
      last_sent_at: 'timestamp?',
      failure_groups: 'json',
      failed_domains: 'json',
      relays: 'json',
      counted_at: 'timestamp',
    },
  },
];
