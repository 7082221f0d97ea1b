import type { StoredBounceEvent } from '../bounces/index.js';
import type { EditionSummary } from '../editions/index.js';
import type { FailureGroup, RelayCount } from '../ledger/index.js';
import type { Subscriber, SubscriberStatus } from '../subscribers/index.js';

/**
 * What the admin dashboard reads from the store, on either backend (src/stores/*\/admin-queries.ts).
 * Aggregations run in SQL over small tables the store keeps current as it goes (see the reader
 * history migration): nothing here reads every reader or every delivery of a finished edition.
 */

export type ReaderStatus = SubscriberStatus;
export type StatusCounts = Record<ReaderStatus, number>;

/** How many readers were in each status at the end of a day (UTC). */
export interface StatusDay {
  day: string;
  counts: StatusCounts;
}

/** Readers who became active that day (confirmed, added active, resubscribed), and who left active (unsubscribed, bounced, complained, removed). */
export interface FlowDay {
  day: string;
  joined: number;
  lost: number;
}

/** An edition's messages as `paperboy editions show` counts them: `pending` is its pending + sending, `retry` its waiting to retry. */
export interface MessageCounts {
  total: number;
  sent: number;
  failed: number;
  pending: number;
  retry: number;
  skipped: number;
}

/**
 * One edition's numbers, as `paperboy editions show --json` has them; `bounced` and `complained`
 * are its feedback's bounces and complaints (readers whose reports counted, soft bounces included).
 */
export interface EditionRow extends Omit<EditionSummary, 'counts'>, MessageCounts {
  bounced: number;
  complained: number;
}

/** Complaints over messages sent, for the editions made in the last 30 days (the rule mail providers measure against 0.1% and 0.3%). */
export interface ComplaintRate {
  last30Days: number;
  complaints: number;
  sent: number;
}

export interface Overview {
  /** One per day, oldest first, ending with the day of `now`. */
  days: StatusDay[];
  /** The same days. */
  flows: FlowDay[];
  /** Readers in each status now. */
  now: StatusCounts;
  /** The newest editions first. */
  editions: EditionRow[];
  complaintRate: ComplaintRate;
}

/** A step of an edition's delivery funnel: queued, sent, delivered (not bounced), without complaint. */
export interface FunnelStep {
  step: string;
  count: number;
}

/** Per recipient domain: messages that failed, and readers whose reports counted. */
export interface DomainFailures {
  domain: string;
  failed: number;
  bounced: number;
  complained: number;
}

export interface EditionPaper {
  rank: number;
  id: string;
  title: string;
  url: string;
  upvotes: number;
}

export interface EditionDetail {
  edition: EditionRow;
  funnel: FunnelStep[];
  /** As `editions show` groups them (its failureReasons). */
  failuresByReason: FailureGroup[];
  /** The domains with the most trouble first, at most 50. */
  failuresByDomain: DomainFailures[];
  /** Empty when the edition went through one transport. */
  byRelay: RelayCount[];
  firstSentAt?: string;
  lastSentAt?: string;
  papers: EditionPaper[];
}

/** One sender of a running edition: the messages it sent, and those it holds (reserved or in flight). */
export interface SenderProgress {
  run: string;
  startedAt: string;
  leaseUntil: string;
  sent: number;
  claimed: number;
}

/** An edition some sender holds a live lease on, counted now. */
export interface RunningSend extends MessageCounts {
  editionId: number;
  day: string;
  list: string;
  senders: SenderProgress[];
}

/** A reader's status from `at` on; `from` is the one before (none for the first, when they were added). */
export interface StatusChange {
  at: string;
  status: ReaderStatus;
  from?: ReaderStatus;
  /** In words: "added (web)", "confirmed", "unsubscribed", "resubscribed"… */
  reason: string;
}

export interface ReaderEdition {
  editionId: number;
  day: string;
  list: string;
  /** The ledger row's status: pending, sending, sent, retry, failed, skipped. */
  status: string;
  sentAt?: string;
}

export interface ReaderDetail {
  reader: Subscriber;
  /** Oldest first. */
  history: StatusChange[];
  /** The newest 100 editions made for them, newest first. */
  editions: ReaderEdition[];
  /** Bounces and complaints about them, newest first (at most 100); the waiting ones go to bounces apply/dismiss. */
  reports: StoredBounceEvent[];
}

export interface AdminQueries {
  /**
   * `days` days of history (at least one) up to `now`, the `editions` newest editions, and the
   * complaint rate of the last 30 days. The first read after an edition finished counts its
   * ledger once (a second or two for a million messages); an edition being sent is counted live.
   */
  overview(options: { days: number; editions: number; now: Date }): Promise<Overview>;
  edition(id: number): Promise<EditionDetail | undefined>;
  /**
   * Editions some sender holds a live lease on at `now`: one pass over each one's ledger (0.2 to
   * 0.8 s for 840,000 messages, bench:admin), so poll it once for every watcher, not once each.
   */
  running(now: Date): Promise<RunningSend[]>;
  reader(email: string): Promise<ReaderDetail | undefined>;
}
