import type { ReaderEdition, ReaderStatus, StatusDelta } from '../../admin/index.js';
import type { StoredBounceEvent } from '../../bounces/index.js';
import { type DeliveryCounts, type EditionSummary, emptyCounts } from '../../editions/index.js';
import type { FailureGroup, RelayCount } from '../../ledger/index.js';
import type { Paper } from '../../papers/index.js';
import type { Subscriber } from '../../subscribers/index.js';
import { tallyCounts } from './delivery-rows.js';
import { type SummaryRow, toSummary } from './edition-rows.js';
import { fromJson, type JsonColumn } from './json-columns.js';

/** An edition's ledger counted: what edition_counts keeps once it is finished. */
export interface EditionSnapshot {
  counts: DeliveryCounts;
  firstSentAt?: string;
  lastSentAt?: string;
  failureGroups: FailureGroup[];
  failedDomains: { domain: string; failed: number }[];
  relays: RelayCount[];
}

/** An edition without its counts (those come from its kept snapshot, or the ledger). */
export type EditionHead = Omit<EditionSummary, 'counts'>;

export interface LiveRun {
  id: string;
  editionId: number;
  day: string;
  list: string;
  startedAt: string;
  leaseUntil: string;
}

/**
 * What each backend reads for the admin queries (sqlite/admin-queries.ts, postgres/admin-queries.ts),
 * in its own SQL; common/admin-queries.ts makes the answers out of it, alike for both.
 */
export interface AdminReads {
  /** The readers' daily counts before `fromDay` summed by status (day ''), and per day from it. */
  statusChanges(fromDay: string): Promise<{ before: StatusDelta[]; from: StatusDelta[] }>;
  /** The `limit` newest editions and every one made since `since`, newest first. */
  recentEditions(limit: number, since: string): Promise<EditionHead[]>;
  edition(id: number): Promise<{ head: EditionHead; papers: Paper[] } | undefined>;
  storedSnapshots(ids: readonly number[]): Promise<Map<number, EditionSnapshot>>;
  /**
   * Counts an edition that is finished (complete, no sender holding a live lease, nothing waiting)
   * and keeps the counts; undefined, and nothing kept, when it is not finished. Atomic with a run
   * starting on it, whose trigger drops the counts.
   */
  finishSnapshot(id: number): Promise<EditionSnapshot | undefined>;
  /** An edition's ledger counted as it is now, not kept. */
  liveSnapshot(id: number): Promise<EditionSnapshot>;
  liveCounts(id: number): Promise<DeliveryCounts>;
  /** Per edition: readers whose bounces and complaints counted (as `editions show` counts its feedback). */
  feedback(ids: readonly number[]): Promise<Map<number, { bounces: number; complaints: number }>>;
  reportsByDomain(id: number): Promise<{ domain: string; bounced: number; complained: number }[]>;
  liveRuns(now: Date): Promise<LiveRun[]>;
  /** A running edition's rows counted by the run holding them (null: none) and status. */
  runProgress(editionId: number): Promise<{ run: string | null; status: keyof DeliveryCounts; n: number }[]>;
  reader(emailKey: string): Promise<Subscriber | undefined>;
  readerChanges(id: number): Promise<{ at: string; from: ReaderStatus; status: ReaderStatus }[]>;
  readerEditions(id: number): Promise<ReaderEdition[]>;
  readerReports(id: number): Promise<StoredBounceEvent[]>;
}

/** edition_counts as both backends read it (JSON as text from SQLite, parsed from PostgreSQL). */
export interface SnapshotRow extends DeliveryCounts {
  edition_id: number;
  first_sent_at: string | null;
  last_sent_at: string | null;
  failure_groups: JsonColumn<FailureGroup[]>;
  failed_domains: JsonColumn<EditionSnapshot['failedDomains']>;
  relays: JsonColumn<RelayCount[]>;
}

export const toSnapshot = (row: SnapshotRow): EditionSnapshot => ({
  counts: { pending: row.pending, sending: row.sending, sent: row.sent, retry: row.retry, failed: row.failed, skipped: row.skipped },
  ...(row.first_sent_at ? { firstSentAt: row.first_sent_at } : {}),
  ...(row.last_sent_at ? { lastSentAt: row.last_sent_at } : {}),
  failureGroups: fromJson(row.failure_groups),
  failedDomains: fromJson(row.failed_domains),
  relays: fromJson(row.relays),
});

/** A snapshot as both backends store it, in the column order of their insert. */
export const snapshotValues = (id: number, snapshot: EditionSnapshot, countedAt: string): unknown[] => {
  const { pending, sending, sent, retry, failed, skipped } = snapshot.counts;
  const { firstSentAt, lastSentAt, failureGroups, failedDomains, relays } = snapshot;
  const json = JSON.stringify;
  return [
    id,
    pending,
    sending,
    sent,
    retry,
    failed,
    skipped,
    firstSentAt ?? null,
    lastSentAt ?? null,
    json(failureGroups),
    json(failedDomains),
    json(relays),
    countedAt,
  ];
};

/** The ledger's own counts and groupings (the queries `editions show` runs), and the admin's own, made into a snapshot. */
export const snapshotOf = (parts: {
  counts: readonly { status: keyof DeliveryCounts; n: number }[];
  span: { first_sent_at: string | null; last_sent_at: string | null } | undefined;
  failureGroups: FailureGroup[];
  failedDomains: EditionSnapshot['failedDomains'];
  relays: RelayCount[];
}): EditionSnapshot => ({
  counts: tallyCounts(parts.counts.map((row) => ({ status: row.status, n: Number(row.n) }))),
  ...(parts.span?.first_sent_at ? { firstSentAt: parts.span.first_sent_at } : {}),
  ...(parts.span?.last_sent_at ? { lastSentAt: parts.span.last_sent_at } : {}),
  failureGroups: parts.failureGroups.map((group) => ({ ...group, count: Number(group.count) })),
  failedDomains: parts.failedDomains.map((row) => ({ domain: row.domain, failed: Number(row.failed) })),
  relays: parts.relays.map((row) => ({ relay: row.relay, sent: Number(row.sent), failed: Number(row.failed) })),
});

/** Nothing waiting: the snapshot of a complete edition. */
export const settled = (snapshot: EditionSnapshot): boolean => snapshot.counts.pending + snapshot.counts.sending + snapshot.counts.retry === 0;

/** An edition head as both backends read it (the columns `editions list` reads). */
export const toHead = (row: SummaryRow): EditionHead => {
  const { counts, ...head } = toSummary(row, emptyCounts());
  return head;
};

/** A reader's ledger row; sentAt only once sent. */
export const toReaderEdition = (row: Omit<ReaderEdition, 'sentAt'> & { sentAt: string | null }): ReaderEdition => ({
  editionId: Number(row.editionId),
  day: row.day,
  list: row.list,
  status: row.status,
  ...(row.sentAt ? { sentAt: row.sentAt } : {}),
});

/** Daily count rows as numbers (PostgreSQL sums to bigint, read as numbers already; SQLite's are numbers). */
export const toDeltas = (rows: readonly { day: string; status: ReaderStatus; entered: number | string; exited: number | string }[]): StatusDelta[] =>
  rows.map((row) => ({ day: row.day, status: row.status, entered: Number(row.entered), exited: Number(row.exited) }));
