import type pg from 'pg';
import type { DeliveryCounts } from '../../editions/index.js';
import { demoSetAside, ownerIsDead } from '../../ledger/index.js';
import type { AlertSet, Audience, ClaimOutcome, DueDelivery, FailedDelivery, FailureGroup } from '../../ledger/index.js';
import type { FailureKind, Ledger, RelayCount, RenewedRun, StartedRun, StartRunOptions, Wait } from '../../ledger/index.js';
import { messageIdMacSlot } from '../../subscribers/index.js';
import { type DueRow, tallyCounts, toDue, toFailure } from '../common/index.js';
import { inTransaction, type PgPool, postgresStoreId } from './pool.js';
import { ledgerSql } from './sql/index.js';

/**
 * The ledger in PostgreSQL: any number of senders, on any machines, share an edition. Each holds
 * a lease (renewed by its heartbeat, timed by the database's clock), reserves pages of due rows
 * with FOR UPDATE SKIP LOCKED, and every row write checks the row is still its own. A sender that
 * dies: when its lease runs out the next sender to look frees its rows (those in flight go again,
 * with the same Message-ID).
 */
export class PostgresLedger implements Ledger {
  private storeId: Promise<string> | undefined;

  /** `relaxed`: for claims and reservations, whose loss in a server crash is harmless (see relaxedPool). */
  constructor(
    private readonly pool: PgPool,
    private readonly relaxed: PgPool = pool,
  ) {}

  private async query<T extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<pg.QueryResult<T>> {
    return this.pool.query<T>(sql, params);
  }

  private async relaxedQuery<T extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<pg.QueryResult<T>> {
    return this.relaxed.query<T>(sql, params);
  }

  async enqueue(editionId: number, list: string, messageIdDomain: string, audience: Audience): Promise<number> {
    this.storeId ??= postgresStoreId(this.pool);
    const { frequencies, alertSets, leaveOutDemo } = audience;
    const result = await this.query(ledgerSql.enqueue, [
      editionId,
      list,
      messageIdDomain,
      await this.storeId,
      frequencies,
      alertSets,
      messageIdMacSlot,
      !leaveOutDemo,
    ]);
    return result.rowCount ?? 0;
  }

  async alertSets(list: string): Promise<AlertSet[]> {
    const { rows } = await this.query<{ alerts: string; readers: string }>(ledgerSql.alertSets, [list]);
    return rows.map((row) => ({ alerts: row.alerts, readers: Number(row.readers) }));
  }

  /** Frees what runs whose lease ran out left behind: the rows that were in flight, and those only reserved. */
  private async freeOrphans(db: pg.PoolClient, editionId: number): Promise<{ inFlight: number; reserved: number }> {
    const inFlight = await db.query(ledgerSql.freeInFlight, [editionId]);
    const reserved = await db.query(ledgerSql.freeReserved, [editionId]);
    return { inFlight: inFlight.rowCount ?? 0, reserved: reserved.rowCount ?? 0 };
  }

  /** Removes the runs of this edition whose lease ran out (or whose process on this host is gone); returns the live ones. */
  private async dropExpired(db: pg.PoolClient, editionId: number): Promise<{ id: string }[]> {
    await db.query(ledgerSql.lockEditionRuns, [editionId]);
    const runs = await db.query<{ id: string; expired: boolean }>(ledgerSql.runsOfEdition, [editionId]);
    const expired = runs.rows.filter((run) => run.expired || ownerIsDead(run.id)).map((run) => run.id);
    if (expired.length > 0) await db.query(ledgerSql.removeRuns, [expired]);
    return runs.rows.filter((run) => !expired.includes(run.id));
  }

  async startRun(editionId: number, owner: string, options: StartRunOptions): Promise<StartedRun> {
    return inTransaction(this.pool, async (db): Promise<StartedRun> => {
      const live = (await this.dropExpired(db, editionId)).filter((run) => run.id !== owner);
      if (options.exclusive && live[0]) return { started: false, holder: live[0].id };
      const recovered = (await this.freeOrphans(db, editionId)).inFlight;
      await db.query(ledgerSql.startRun, [owner, editionId, options.leaseMs]);
      return { started: true, recovered, senders: live.length + 1 };
    });
  }

  async recoverStale(editionId: number): Promise<{ inFlight: number; reserved: number }> {
    return inTransaction(this.pool, async (db) => {
      await this.dropExpired(db, editionId);
      return this.freeOrphans(db, editionId);
    });
  }

  async heldByOthers(editionId: number, owner: string): Promise<{ rows: number; leaseEndsAt?: Date }> {
    const { rows } = await this.query<{ rows: number; until: string | null }>(ledgerSql.heldByOthers, [editionId, owner]);
    const row = rows[0]!;
    return { rows: Number(row.rows), ...(row.until ? { leaseEndsAt: new Date(row.until) } : {}) };
  }

  /** Timed by the database's clock, so senders on several machines keep one pace; the wait is returned, not a time. */
  async takeSendSlots(editionId: number, count: number, intervalMs: number): Promise<number> {
    const { rows } = await this.relaxedQuery<{ wait_ms: number }>(ledgerSql.takeSendSlots, [editionId, count * intervalMs]);
    return rows[0]!.wait_ms;
  }

  async dueRetries(now: Date): Promise<{ list: string; day: string }[]> {
    return (await this.query<{ list: string; day: string }>(ledgerSql.dueRetries, [now.toISOString()])).rows;
  }

  async renewRun(editionId: number, owner: string, leaseMs: number): Promise<RenewedRun> {
    const { rows } = await this.query<{ senders: number }>(ledgerSql.renewRun, [editionId, owner, leaseMs]);
    return rows[0] ? { held: true, senders: Math.max(1, rows[0].senders) } : { held: false, senders: 0 };
  }

  async endRun(editionId: number, owner: string): Promise<void> {
    await inTransaction(this.pool, async (db) => {
      await db.query(ledgerSql.releaseReserved, [editionId, owner]);
      await db.query(ledgerSql.removeRun, [owner]);
    });
  }

  async reserve(editionId: number, owner: string, limit: number, now: Date, after = 0): Promise<DueDelivery[]> {
    const { rows } = await this.relaxedQuery<DueRow>(ledgerSql.reserve, [editionId, owner, after, now.toISOString(), limit]);
    return rows.map(toDue);
  }

  async claim(editionId: number, subscriberId: number, list: string, owner: string): Promise<ClaimOutcome> {
    if ((await this.query(ledgerSql.claim, [editionId, subscriberId, list, owner])).rowCount === 1) return 'claimed';
    if ((await this.query(ledgerSql.runAlive, [owner])).rowCount === 0) return 'lost';
    return (await this.query(ledgerSql.skip, [editionId, subscriberId, owner])).rowCount === 1 ? 'skipped' : 'gone';
  }

  async claimMany(editionId: number, subscriberIds: readonly number[], list: string, owner: string): Promise<Map<number, ClaimOutcome>> {
    const outcomes = new Map<number, ClaimOutcome>();
    const claimed = await this.relaxedQuery<{ subscriber_id: number }>(ledgerSql.claimMany, [editionId, subscriberIds, list, owner]);
    for (const row of claimed.rows) outcomes.set(row.subscriber_id, 'claimed');
    const rest = subscriberIds.filter((id) => !outcomes.has(id));
    if (rest.length === 0) return outcomes;
    if ((await this.query(ledgerSql.runAlive, [owner])).rowCount === 0) {
      for (const id of rest) outcomes.set(id, 'lost');
      return outcomes;
    }
    const skipped = await this.query<{ subscriber_id: number }>(ledgerSql.skipMany, [editionId, rest, owner]);
    const skippedIds = new Set(skipped.rows.map((row) => row.subscriber_id));
    for (const id of rest) outcomes.set(id, skippedIds.has(id) ? 'skipped' : 'gone');
    return outcomes;
  }

  async markSentMany(editionId: number, subscriberIds: readonly number[], owner: string, relayOf?: ReadonlyMap<number, string>): Promise<Set<number>> {
    const relays = subscriberIds.map((id) => relayOf?.get(id) ?? null);
    const { rows } = await this.query<{ subscriber_id: number }>(ledgerSql.markSentMany, [editionId, subscriberIds, owner, relays]);
    return new Set(rows.map((row) => row.subscriber_id));
  }

  async markSent(editionId: number, subscriberId: number, owner: string, relay?: string): Promise<boolean> {
    return (await this.query(ledgerSql.markSent, [editionId, subscriberId, owner, relay ?? null])).rowCount === 1;
  }

  async markWaiting(editionId: number, subscriberId: number, owner: string, wait: Wait): Promise<boolean> {
    const { kind, reason, at, spendAttempt } = wait;
    return (await this.query(ledgerSql.markWaiting, [editionId, subscriberId, owner, reason, kind, at.toISOString(), spendAttempt ? 0 : 1])).rowCount === 1;
  }

  async markFailed(editionId: number, subscriberId: number, owner: string, failure: { kind: FailureKind; reason: string; relay?: string }): Promise<boolean> {
    return (await this.query(ledgerSql.markFailed, [editionId, subscriberId, owner, failure.reason, failure.kind, failure.relay ?? null])).rowCount === 1;
  }

  async requeue(editionId: number, subscriberIds: readonly number[], owner: string, reason: string): Promise<number> {
    if (subscriberIds.length === 0) return 0;
    return (await this.query(ledgerSql.requeue, [editionId, owner, subscriberIds, reason])).rowCount ?? 0;
  }

  async retryFailed(editionId: number): Promise<number> {
    return (await this.query(ledgerSql.retryFailed, [editionId])).rowCount ?? 0;
  }

  async setAsideDemo(editionId: number): Promise<number> {
    return (await this.query(ledgerSql.setAsideDemo, [editionId, demoSetAside])).rowCount ?? 0;
  }

  async settledAmong(editionId: number, subscriberIds: readonly number[]): Promise<Set<number>> {
    const { rows } = await this.query<{ id: string }>(ledgerSql.settledAmong, [editionId, subscriberIds]);
    return new Set(rows.map((row) => Number(row.id)));
  }

  async recordLastSent(editionId: number): Promise<void> {
    await this.query(ledgerSql.recordLastSent, [editionId]);
  }

  async counts(editionId: number): Promise<DeliveryCounts> {
    return tallyCounts((await this.query<{ status: keyof DeliveryCounts; n: number }>(ledgerSql.countsByStatus, [editionId])).rows);
  }

  async nextRetryAt(editionId: number): Promise<Date | undefined> {
    const { rows } = await this.query<{ next: string | null }>(ledgerSql.nextRetryAt, [editionId]);
    return rows[0]?.next ? new Date(rows[0].next) : undefined;
  }

  async relayCounts(editionId: number): Promise<RelayCount[]> {
    return (await this.query<RelayCount>(ledgerSql.relayCounts, [editionId])).rows;
  }

  async failureGroups(editionId: number): Promise<FailureGroup[]> {
    return (await this.query<FailureGroup>(ledgerSql.failureGroups, [editionId])).rows;
  }

  async failures(editionId: number, limit: number): Promise<FailedDelivery[]> {
    return (await this.query<FailedDelivery & { nextAttemptAt: string | null }>(ledgerSql.failures, [editionId, limit])).rows.map(toFailure);
  }
}
