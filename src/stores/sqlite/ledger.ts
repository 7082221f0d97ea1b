import type { DeliveryCounts } from '../../editions/index.js';
import { demoSetAside, ownerIsDead } from '../../ledger/index.js';
import type { AlertSet, Audience, ClaimOutcome, DueDelivery, FailedDelivery, FailureGroup, RelayCount } from '../../ledger/index.js';
import type { FailureKind, Ledger, RenewedRun, StartedRun, StartRunOptions, Wait } from '../../ledger/index.js';
import { messageIdMacSlot } from '../../subscribers/index.js';
import { type DueRow, tallyCounts, toDue, toFailure } from '../common/index.js';
import { type Db, nowIso, statement, storeId } from './open.js';
import { ledgerSql } from './sql/index.js';

/** The ledger in SQLite: one sender per edition at a time (the lease is exclusive). */
export class SqliteLedger implements Ledger {
  private readonly storeId: string;

  constructor(private readonly db: Db) {
    this.storeId = storeId(db);
  }

  async enqueue(editionId: number, list: string, messageIdDomain: string, audience: Audience): Promise<number> {
    const { day } = statement(this.db, ledgerSql.dayOfEdition).get(editionId) as { day: string };
    return statement(this.db, ledgerSql.enqueue).run({
      editionId,
      day,
      list,
      domain: messageIdDomain,
      store: this.storeId,
      mac: messageIdMacSlot,
      frequencies: JSON.stringify(audience.frequencies),
      alertSets: JSON.stringify(audience.alertSets),
      withDemo: audience.leaveOutDemo ? 0 : 1,
    }).changes;
  }

  async alertSets(list: string): Promise<AlertSet[]> {
    return statement(this.db, ledgerSql.alertSets).all(list) as AlertSet[];
  }

  /** The edition's runs whose lease has not run out (and whose process, if on this host, still exists). */
  private liveRuns(editionId: number): { id: string; expired: boolean }[] {
    const now = nowIso();
    const runs = statement(this.db, ledgerSql.runsOfEdition).all(editionId) as { id: string; lease_until: string }[];
    return runs.map((run) => ({ id: run.id, expired: run.lease_until < now || ownerIsDead(run.id) }));
  }

  /** Drops the expired runs and frees their rows: those in flight go again (same Message-ID), those reserved are free. */
  private freeOrphans(editionId: number, runs: { id: string; expired: boolean }[]): { inFlight: number; reserved: number } {
    for (const run of runs.filter((each) => each.expired)) statement(this.db, ledgerSql.removeRun).run(run.id);
    const inFlight = statement(this.db, ledgerSql.freeInFlight).run(editionId, editionId).changes;
    const reserved = statement(this.db, ledgerSql.freeReserved).run(editionId).changes;
    return { inFlight, reserved };
  }

  async startRun(editionId: number, owner: string, options: StartRunOptions): Promise<StartedRun> {
    return this.db
      .transaction((): StartedRun => {
        const runs = this.liveRuns(editionId);
        const live = runs.filter((run) => run.id !== owner && !run.expired);
        if (options.exclusive && live[0]) return { started: false, holder: live[0].id };
        const recovered = this.freeOrphans(editionId, runs).inFlight;
        statement(this.db, ledgerSql.startRun).run(owner, editionId, nowIso(), new Date(Date.now() + options.leaseMs).toISOString());
        return { started: true, recovered, senders: live.length + 1 };
      })
      .immediate();
  }

  async renewRun(editionId: number, owner: string, leaseMs: number): Promise<RenewedRun> {
    const held = statement(this.db, ledgerSql.renewRun).run(new Date(Date.now() + leaseMs).toISOString(), owner, editionId).changes === 1;
    return { held, senders: held ? 1 : 0 };
  }

  async recoverStale(editionId: number): Promise<{ inFlight: number; reserved: number }> {
    return this.db.transaction(() => this.freeOrphans(editionId, this.liveRuns(editionId))).immediate();
  }

  async heldByOthers(editionId: number, owner: string): Promise<{ rows: number; leaseEndsAt?: Date }> {
    const { rows } = statement(this.db, ledgerSql.rowsHeldByOthers).get(editionId, owner) as { rows: number };
    const { until } = statement(this.db, ledgerSql.othersLeaseEnd).get(editionId, owner) as { until: string | null };
    return { rows, ...(until ? { leaseEndsAt: new Date(until) } : {}) };
  }

  async takeSendSlots(editionId: number, count: number, intervalMs: number): Promise<number> {
    const now = Date.now();
    const { start } = statement(this.db, ledgerSql.takeSendSlots).get({ editionId, now, span: count * intervalMs }) as { start: number };
    return Math.max(0, start - now);
  }

  async dueRetries(now: Date): Promise<{ list: string; day: string }[]> {
    return statement(this.db, ledgerSql.dueRetries).all(now.toISOString()) as { list: string; day: string }[];
  }

  async endRun(editionId: number, owner: string): Promise<void> {
    this.db
      .transaction(() => {
        statement(this.db, ledgerSql.releaseReserved).run(editionId, owner);
        statement(this.db, ledgerSql.removeRun).run(owner);
      })
      .immediate();
  }

  async reserve(editionId: number, owner: string, limit: number, now: Date, after = 0): Promise<DueDelivery[]> {
    return this.db
      .transaction(() => {
        const params = { editionId, after, now: now.toISOString() };
        const rows = statement(this.db, ledgerSql.dueRows).all({ ...params, limit }) as DueRow[];
        if (rows.length > 0) statement(this.db, ledgerSql.reserve).run({ ...params, owner, last: rows.at(-1)!.subscriber_id });
        return rows.map(toDue);
      })
      .immediate();
  }

  async claim(editionId: number, subscriberId: number, list: string, owner: string): Promise<ClaimOutcome> {
    if (statement(this.db, ledgerSql.claim).run({ editionId, subscriberId, list, owner, now: nowIso() }).changes === 1) return 'claimed';
    if (!statement(this.db, ledgerSql.runAlive).get(owner)) return 'lost';
    return statement(this.db, ledgerSql.skip).run(editionId, subscriberId, owner).changes === 1 ? 'skipped' : 'gone';
  }

  async claimMany(editionId: number, subscriberIds: readonly number[], list: string, owner: string): Promise<Map<number, ClaimOutcome>> {
    const outcomes = new Map<number, ClaimOutcome>();
    for (const id of subscriberIds) outcomes.set(id, await this.claim(editionId, id, list, owner));
    return outcomes;
  }

  async markSentMany(editionId: number, subscriberIds: readonly number[], owner: string, relayOf?: ReadonlyMap<number, string>): Promise<Set<number>> {
    const marked = new Set<number>();
    for (const id of subscriberIds) if (await this.markSent(editionId, id, owner, relayOf?.get(id))) marked.add(id);
    return marked;
  }

  async markSent(editionId: number, subscriberId: number, owner: string, relay?: string): Promise<boolean> {
    return statement(this.db, ledgerSql.markSent).run({ editionId, subscriberId, owner, now: nowIso(), relay: relay ?? null }).changes === 1;
  }

  async markWaiting(editionId: number, subscriberId: number, owner: string, wait: Wait): Promise<boolean> {
    const { kind, reason, at, spendAttempt } = wait;
    return (
      statement(this.db, ledgerSql.markWaiting).run({
        editionId,
        subscriberId,
        owner,
        kind,
        reason,
        at: at.toISOString(),
        giveBack: spendAttempt ? 0 : 1,
        now: nowIso(),
      }).changes === 1
    );
  }

  async markFailed(editionId: number, subscriberId: number, owner: string, failure: { kind: FailureKind; reason: string; relay?: string }): Promise<boolean> {
    const { kind, reason, relay } = failure;
    return statement(this.db, ledgerSql.markFailed).run({ editionId, subscriberId, owner, kind, reason, relay: relay ?? null }).changes === 1;
  }

  async requeue(editionId: number, subscriberIds: readonly number[], owner: string, reason: string): Promise<number> {
    if (subscriberIds.length === 0) return 0;
    return statement(this.db, ledgerSql.requeue).run(nowIso(), reason, editionId, owner, JSON.stringify(subscriberIds)).changes;
  }

  async retryFailed(editionId: number): Promise<number> {
    return statement(this.db, ledgerSql.retryFailed).run(nowIso(), editionId).changes;
  }

  async setAsideDemo(editionId: number): Promise<number> {
    return statement(this.db, ledgerSql.setAsideDemo).run(demoSetAside, editionId).changes;
  }

  async settledAmong(editionId: number, subscriberIds: readonly number[]): Promise<Set<number>> {
    const rows = statement(this.db, ledgerSql.settledAmong).all(editionId, JSON.stringify(subscriberIds)) as { id: number }[];
    return new Set(rows.map((row) => row.id));
  }

  async recordLastSent(editionId: number): Promise<void> {
    statement(this.db, ledgerSql.recordLastSent).run(editionId);
  }

  async counts(editionId: number): Promise<DeliveryCounts> {
    return tallyCounts(statement(this.db, ledgerSql.countsByStatus).all(editionId) as { status: keyof DeliveryCounts; n: number }[]);
  }

  async nextRetryAt(editionId: number): Promise<Date | undefined> {
    const { next } = statement(this.db, ledgerSql.nextRetryAt).get(editionId) as { next: string | null };
    return next ? new Date(next) : undefined;
  }

  async failureGroups(editionId: number): Promise<FailureGroup[]> {
    return statement(this.db, ledgerSql.failureGroups).all(editionId) as FailureGroup[];
  }

  async relayCounts(editionId: number): Promise<RelayCount[]> {
    return statement(this.db, ledgerSql.relayCounts).all(editionId) as RelayCount[];
  }

  async failures(editionId: number, limit: number): Promise<FailedDelivery[]> {
    return (statement(this.db, ledgerSql.failures).all(editionId, limit) as (FailedDelivery & { nextAttemptAt: string | null })[]).map(toFailure);
  }
}
