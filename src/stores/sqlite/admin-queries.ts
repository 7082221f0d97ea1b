import type { AdminQueries, ReaderStatus } from '../../admin/index.js';
import type { StoredBounceEvent } from '../../bounces/index.js';
import type { DeliveryCounts } from '../../editions/index.js';
import type { FailureGroup, RelayCount } from '../../ledger/index.js';
import type { Paper } from '../../papers/index.js';
import type { Subscriber } from '../../subscribers/index.js';
import { type AdminReads, type EditionSnapshot, type EventRow, fromJson, type JsonColumn, type LiveRun } from '../common/index.js';
import { type SnapshotRow, settled, snapshotOf, snapshotValues, StoreAdminQueries, tallyCounts, toDeltas, toEvent } from '../common/index.js';
import { type SubscriberRow, type SummaryRow, toHead, toReaderEdition, toSnapshot, toSubscriber } from '../common/index.js';
import { type Db, nowIso, statement } from './open.js';
import { adminSql, ledgerSql, subscriberSql } from './sql/index.js';

type DeltaRow = { day: string; status: ReaderStatus; entered: number; exited: number };

/** What the admin queries read, on a SQLite connection shared with the other stores. */
class SqliteAdminReads implements AdminReads {
  constructor(private readonly db: Db) {}

  async statusChanges(fromDay: string) {
    return {
      before: toDeltas(statement(this.db, adminSql.statusBefore).all(fromDay) as DeltaRow[]),
      from: toDeltas(statement(this.db, adminSql.statusFrom).all(fromDay) as DeltaRow[]),
    };
  }

  async recentEditions(limit: number, since: string) {
    return (statement(this.db, adminSql.recentEditions).all({ limit, since }) as SummaryRow[]).map(toHead);
  }

  async edition(id: number) {
    const row = statement(this.db, adminSql.edition).get(id) as (SummaryRow & { paper_list: JsonColumn<Paper[]> }) | undefined;
    return row && { head: toHead(row), papers: fromJson(row.paper_list) };
  }

  async storedSnapshots(ids: readonly number[]) {
    const rows = statement(this.db, adminSql.snapshots).all(JSON.stringify(ids)) as SnapshotRow[];
    return new Map(rows.map((row) => [row.edition_id, toSnapshot(row)]));
  }

  /** In one write transaction, so no run starts on the edition between the counting and the keeping (a second or so for a million rows, once per edition). */
  async finishSnapshot(id: number): Promise<EditionSnapshot | undefined> {
    return this.db
      .transaction(() => {
        if (!statement(this.db, adminSql.finished).get({ id, now: nowIso() })) return undefined;
        const snapshot = this.countNow(id);
        if (!settled(snapshot)) return undefined;
        statement(this.db, adminSql.keepSnapshot).run(...snapshotValues(id, snapshot, nowIso()));
        return snapshot;
      })
      .immediate();
  }

  async liveSnapshot(id: number) {
    return this.countNow(id);
  }

  private countNow(id: number): EditionSnapshot {
    return snapshotOf({
      counts: statement(this.db, ledgerSql.countsByStatus).all(id) as { status: keyof DeliveryCounts; n: number }[],
      span: statement(this.db, adminSql.sentSpan).get(id) as { first_sent_at: string | null; last_sent_at: string | null },
      failureGroups: statement(this.db, ledgerSql.failureGroups).all(id) as FailureGroup[],
      failedDomains: statement(this.db, adminSql.failedDomains).all(id) as EditionSnapshot['failedDomains'],
      relays: statement(this.db, ledgerSql.relayCounts).all(id) as RelayCount[],
    });
  }

  async liveCounts(id: number) {
    return tallyCounts(statement(this.db, ledgerSql.countsByStatus).all(id) as { status: keyof DeliveryCounts; n: number }[]);
  }

  async feedback(ids: readonly number[]) {
    const rows = statement(this.db, adminSql.feedback).all(JSON.stringify(ids)) as { edition_id: number; bounces: number; complaints: number }[];
    return new Map(rows.map(({ edition_id, ...counts }) => [edition_id, counts]));
  }

  async reportsByDomain(id: number) {
    return statement(this.db, adminSql.reportsByDomain).all(id) as { domain: string; bounced: number; complained: number }[];
  }

  async liveRuns(now: Date) {
    return statement(this.db, adminSql.liveRuns).all(now.toISOString()) as LiveRun[];
  }

  async runProgress(editionId: number) {
    return statement(this.db, adminSql.runProgress).all(editionId) as { run: string | null; status: keyof DeliveryCounts; n: number }[];
  }

  async reader(emailKey: string): Promise<Subscriber | undefined> {
    const row = statement(this.db, subscriberSql.byEmailKey).get(emailKey) as SubscriberRow | undefined;
    return row && toSubscriber(row);
  }

  async readerChanges(id: number) {
    return statement(this.db, adminSql.readerChanges).all(id) as { at: string; from: ReaderStatus; status: ReaderStatus }[];
  }

  async readerEditions(id: number) {
    return (statement(this.db, adminSql.readerEditions).all(id) as Parameters<typeof toReaderEdition>[0][]).map(toReaderEdition);
  }

  async readerReports(id: number): Promise<StoredBounceEvent[]> {
    return (statement(this.db, adminSql.readerReports).all(id) as EventRow[]).map(toEvent);
  }
}

/** The admin dashboard's queries on a SQLite connection it shares (and never closes). */
export const sqliteAdminQueries = (db: Db): AdminQueries => new StoreAdminQueries(new SqliteAdminReads(db));
