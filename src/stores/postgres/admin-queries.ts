import type pg from 'pg';
import type { AdminQueries, ReaderStatus } from '../../admin/index.js';
import type { StoredBounceEvent } from '../../bounces/index.js';
import type { DeliveryCounts } from '../../editions/index.js';
import type { FailureGroup, RelayCount } from '../../ledger/index.js';
import type { Paper } from '../../papers/index.js';
import type { Subscriber } from '../../subscribers/index.js';
import { type AdminReads, type EditionSnapshot, type EventRow, fromJson, type JsonColumn, type LiveRun } from '../common/index.js';
import { type SnapshotRow, settled, snapshotOf, snapshotValues, StoreAdminQueries, tallyCounts, toDeltas, toEvent } from '../common/index.js';
import { type SubscriberRow, type SummaryRow, toHead, toReaderEdition, toSnapshot, toSubscriber } from '../common/index.js';
import { inTransaction, type PgPool, type PgQueryable } from './pool.js';
import { adminSql, ledgerSql, subscriberSql } from './sql/index.js';

type DeltaRow = { day: string; status: ReaderStatus; entered: number; exited: number };

/** What the admin queries read, on the pool shared with the other stores. */
class PostgresAdminReads implements AdminReads {
  constructor(private readonly pool: PgPool) {}

  private async rows<T extends pg.QueryResultRow>(sql: string, params: unknown[], db: PgQueryable = this.pool): Promise<T[]> {
    return (await db.query<T>(sql, params)).rows;
  }

  async statusChanges(fromDay: string) {
    const [before, from] = await Promise.all([this.rows<DeltaRow>(adminSql.statusBefore, [fromDay]), this.rows<DeltaRow>(adminSql.statusFrom, [fromDay])]);
    return { before: toDeltas(before), from: toDeltas(from) };
  }

  async recentEditions(limit: number, since: string) {
    return (await this.rows<SummaryRow>(adminSql.recentEditions, [limit, since])).map(toHead);
  }

  async edition(id: number) {
    const [row] = await this.rows<SummaryRow & { paper_list: JsonColumn<Paper[]> }>(adminSql.edition, [id]);
    return row && { head: toHead(row), papers: fromJson(row.paper_list) };
  }

  async storedSnapshots(ids: readonly number[]) {
    const rows = await this.rows<SnapshotRow>(adminSql.snapshots, [ids]);
    return new Map(rows.map((row) => [Number(row.edition_id), toSnapshot(row)]));
  }

  /** Under the edition's lock, the one a run takes to start (ledgerSql.lockEditionRuns): no run starts between the counting and the keeping. */
  async finishSnapshot(id: number): Promise<EditionSnapshot | undefined> {
    return inTransaction(this.pool, async (db) => {
      await db.query(ledgerSql.lockEditionRuns, [id]);
      if ((await db.query(adminSql.finished, [id])).rowCount === 0) return undefined;
      const snapshot = await this.countNow(id, db);
      if (!settled(snapshot)) return undefined;
      await db.query(adminSql.keepSnapshot, snapshotValues(id, snapshot, new Date().toISOString()));
      return snapshot;
    });
  }

  liveSnapshot(id: number) {
    return this.countNow(id, this.pool);
  }

  private async countNow(id: number, db: PgQueryable): Promise<EditionSnapshot> {
    return snapshotOf({
      counts: await this.rows<{ status: keyof DeliveryCounts; n: number }>(ledgerSql.countsByStatus, [id], db),
      span: (await this.rows<{ first_sent_at: string | null; last_sent_at: string | null }>(adminSql.sentSpan, [id], db))[0],
      failureGroups: await this.rows<FailureGroup>(ledgerSql.failureGroups, [id], db),
      failedDomains: await this.rows<EditionSnapshot['failedDomains'][number]>(adminSql.failedDomains, [id], db),
      relays: await this.rows<RelayCount>(ledgerSql.relayCounts, [id], db),
    });
  }

  async liveCounts(id: number) {
    return tallyCounts(await this.rows<{ status: keyof DeliveryCounts; n: number }>(ledgerSql.countsByStatus, [id]));
  }

  async feedback(ids: readonly number[]) {
    const rows = await this.rows<{ edition_id: number; bounces: number; complaints: number }>(adminSql.feedback, [ids]);
    return new Map(rows.map(({ edition_id, ...counts }) => [edition_id, counts]));
  }

  reportsByDomain(id: number) {
    return this.rows<{ domain: string; bounced: number; complained: number }>(adminSql.reportsByDomain, [id]);
  }

  liveRuns(now: Date) {
    return this.rows<LiveRun>(adminSql.liveRuns, [now.toISOString()]);
  }

  runProgress(editionId: number) {
    return this.rows<{ run: string | null; status: keyof DeliveryCounts; n: number }>(adminSql.runProgress, [editionId]);
  }

  async reader(emailKey: string): Promise<Subscriber | undefined> {
    const [row] = await this.rows<SubscriberRow>(subscriberSql.byEmailKey, [emailKey]);
    return row && toSubscriber(row);
  }

  readerChanges(id: number) {
    return this.rows<{ at: string; from: ReaderStatus; status: ReaderStatus }>(adminSql.readerChanges, [id]);
  }

  async readerEditions(id: number) {
    return (await this.rows<Parameters<typeof toReaderEdition>[0]>(adminSql.readerEditions, [id])).map(toReaderEdition);
  }

  async readerReports(id: number): Promise<StoredBounceEvent[]> {
    return (await this.rows<EventRow>(adminSql.readerReports, [id])).map(toEvent);
  }
}

/** The admin dashboard's queries on a pool it shares (and never ends). */
export const postgresAdminQueries = (pool: PgPool): AdminQueries => new StoreAdminQueries(new PostgresAdminReads(pool));
