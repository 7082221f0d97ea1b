import type { Statement } from 'better-sqlite3';
import { emptyCounts, type DeliveryCounts } from '../../editions/index.js';
import { messageIdMacSlot, preferencesOf } from '../../subscribers/index.js';
import { nowIso, storeId, type Db } from './open.js';
import {
  demoSetAside,
  ownerIsDead,
  type AlertSet,
  type Audience,
  type ClaimOutcome,
  type DueDelivery,
  type FailureKind,
  type FailedDelivery,
  type FailureGroup,
  type Ledger,
  type RenewedRun,
  type StartRunOptions,
  type StartedRun,
} from '../../ledger/index.js';

const activeOnList = `EXISTS (SELECT 1 FROM subscribers s JOIN list_members m ON m.subscriber_id = s.id
  WHERE s.id = @subscriberId AND s.status = 'active' AND m.status = 'active'
    AND m.list_id = (SELECT id FROM lists WHERE name = @list))`;

const due = `d.edition_id = @editionId AND d.claimed_by IS NULL AND d.subscriber_id > @after
  AND (d.status = 'pending' OR (d.status = 'retry' AND d.next_attempt_at <= @now))`;

interface DueRow {
  subscriber_id: number;
  message_id: string;
  attempts: number;
  deferred_since: string | null;
  email: string;
  name: string;
  topics: string;
  max_papers: number | null;
  frequency: string;
  alerts: string;
}

const toDue = (row: DueRow): DueDelivery => ({
  subscriberId: row.subscriber_id,
  email: row.email,
  name: row.name,
  messageId: row.message_id,
  attempts: row.attempts,
  ...(row.deferred_since ? { deferredSince: row.deferred_since } : {}),
  preferences: preferencesOf({ ...row, topics: JSON.parse(row.topics) as string[], alerts: JSON.parse(row.alerts) as string[] }),
});

/** The ledger in SQLite: one sender per edition at a time (the lease is exclusive). */
export class SqliteLedger implements Ledger {
  private readonly statements: Record<string, Statement>;
  private readonly storeId: string;

  constructor(private readonly db: Db) {
    this.storeId = storeId(db);
    this.statements = {
      dueRows: db.prepare(`SELECT d.subscriber_id, d.message_id, d.attempts, d.deferred_since, s.email, s.name, s.topics, s.max_papers, s.frequency, s.alerts
        FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE ${due} ORDER BY d.subscriber_id LIMIT @limit`),
      // Same predicate, same transaction: exactly the rows just read.
      reserve: db.prepare(`UPDATE deliveries AS d SET claimed_by = @owner WHERE ${due} AND d.subscriber_id <= @last`),
      claim: db.prepare(`UPDATE deliveries SET status = 'sending', attempts = attempts + 1, claimed_at = @now
        WHERE edition_id = @editionId AND subscriber_id = @subscriberId AND claimed_by = @owner
          AND status IN ('pending', 'retry') AND ${activeOnList}`),
      skip: db.prepare(`UPDATE deliveries SET status = 'skipped', last_error = 'no longer subscribed', claimed_by = NULL
        WHERE edition_id = ? AND subscriber_id = ? AND claimed_by = ? AND status IN ('pending', 'retry')`),
      runAlive: db.prepare('SELECT 1 FROM delivery_runs WHERE id = ?'),
      sent: db.prepare(`UPDATE deliveries SET status = 'sent', sent_at = @now, last_error = NULL, failure_kind = NULL, next_attempt_at = NULL, deferred_since = NULL
        WHERE edition_id = @editionId AND subscriber_id = @subscriberId AND claimed_by = @owner AND status = 'sending'`),
      waiting: db.prepare(`UPDATE deliveries SET status = 'retry', last_error = @reason, failure_kind = @kind, next_attempt_at = @at,
          deferred_since = CASE WHEN @kind = 'deferred' THEN coalesce(deferred_since, @now) ELSE deferred_since END,
          attempts = max(attempts - @giveBack, 0), claimed_by = NULL
        WHERE edition_id = @editionId AND subscriber_id = @subscriberId AND claimed_by = @owner AND status = 'sending'`),
      failed: db.prepare(`UPDATE deliveries SET status = 'failed', last_error = @reason, failure_kind = @kind, next_attempt_at = NULL
        WHERE edition_id = @editionId AND subscriber_id = @subscriberId AND claimed_by = @owner AND status = 'sending'`),
      // One statement at the end of a run instead of a second write per message.
      lastSent: db.prepare(`UPDATE subscribers SET last_sent_at = d.sent_at FROM deliveries d
        WHERE d.edition_id = ? AND d.subscriber_id = subscribers.id AND d.status = 'sent'
          AND (subscribers.last_sent_at IS NULL OR subscribers.last_sent_at < d.sent_at)`),
      renew: db.prepare('UPDATE delivery_runs SET lease_until = ? WHERE id = ? AND edition_id = ?'),
    };
  }

  async enqueue(editionId: number, list: string, messageIdDomain: string, audience: Audience): Promise<number> {
    const day = (this.db.prepare('SELECT day FROM editions WHERE id = ?').get(editionId) as { day: string }).day;
    // One statement: SQLite streams the subscribers through, so memory does not grow with the list.
    const result = this.db
      .prepare(`INSERT INTO deliveries (edition_id, subscriber_id, status, message_id)
        SELECT @editionId, s.id, 'pending', '<' || @day || '.' || CAST(@editionId AS INTEGER) || '.' || s.id || '.' || @store || '.' || @mac || '@' || @domain || '>'
        FROM subscribers s JOIN list_members m ON m.subscriber_id = s.id
        WHERE m.list_id = (SELECT id FROM lists WHERE name = @list) AND m.status = 'active' AND s.status = 'active'
          AND (s.frequency IN (SELECT value FROM json_each(@frequencies))
            OR (s.frequency = 'alerts' AND s.alerts IN (SELECT value FROM json_each(@alertSets))))
          AND (s.demo = 0 OR @withDemo = 1)
        ON CONFLICT (edition_id, subscriber_id) DO NOTHING`)
      .run({
        editionId, day, list, domain: messageIdDomain, store: this.storeId, mac: messageIdMacSlot,
        frequencies: JSON.stringify(audience.frequencies), alertSets: JSON.stringify(audience.alertSets), withDemo: audience.leaveOutDemo ? 0 : 1,
      });
    return result.changes;
  }

  async alertSets(list: string): Promise<AlertSet[]> {
    return this.db
      .prepare(`SELECT s.alerts, count(*) AS readers FROM subscribers s JOIN list_members m ON m.subscriber_id = s.id
        WHERE m.list_id = (SELECT id FROM lists WHERE name = ?) AND m.status = 'active' AND s.status = 'active' AND s.frequency = 'alerts'
        GROUP BY s.alerts`)
      .all(list) as AlertSet[];
  }

  /** The edition's runs whose lease has not run out (and whose process, if on this host, still exists). */
  private liveRuns(editionId: number): { id: string; expired: boolean }[] {
    const now = nowIso();
    const runs = this.db.prepare('SELECT id, lease_until FROM delivery_runs WHERE edition_id = ?').all(editionId) as { id: string; lease_until: string }[];
    return runs.map((run) => ({ id: run.id, expired: run.lease_until < now || ownerIsDead(run.id) }));
  }

  /** Drops the expired runs and frees their rows: those in flight go again (same Message-ID), those reserved are free. */
  private freeOrphans(editionId: number, runs: { id: string; expired: boolean }[]): { inFlight: number; reserved: number } {
    for (const run of runs.filter((each) => each.expired)) this.db.prepare('DELETE FROM delivery_runs WHERE id = ?').run(run.id);
    const orphaned = `edition_id = ? AND claimed_by IS NOT NULL AND claimed_by NOT IN (SELECT id FROM delivery_runs)`;
    const inFlight = this.db
      .prepare(`UPDATE deliveries SET status = 'pending', claimed_by = NULL WHERE status = 'sending' AND (${orphaned} OR (edition_id = ? AND claimed_by IS NULL))`)
      .run(editionId, editionId).changes;
    const reserved = this.db.prepare(`UPDATE deliveries SET claimed_by = NULL WHERE status IN ('pending', 'retry') AND ${orphaned}`).run(editionId).changes;
    return { inFlight, reserved };
  }

  async startRun(editionId: number, owner: string, options: StartRunOptions): Promise<StartedRun> {
    return this.db.transaction((): StartedRun => {
      const runs = this.liveRuns(editionId);
      const live = runs.filter((run) => run.id !== owner && !run.expired);
      if (options.exclusive && live[0]) return { started: false, holder: live[0].id };
      const recovered = this.freeOrphans(editionId, runs).inFlight;
      this.db
        .prepare('INSERT OR REPLACE INTO delivery_runs (id, edition_id, started_at, lease_until) VALUES (?, ?, ?, ?)')
        .run(owner, editionId, nowIso(), new Date(Date.now() + options.leaseMs).toISOString());
      return { started: true, recovered, senders: live.length + 1 };
    }).immediate();
  }

  async renewRun(editionId: number, owner: string, leaseMs: number): Promise<RenewedRun> {
    const held = this.statements.renew!.run(new Date(Date.now() + leaseMs).toISOString(), owner, editionId).changes === 1;
    return { held, senders: held ? 1 : 0 };
  }

  async recoverStale(editionId: number): Promise<{ inFlight: number; reserved: number }> {
    return this.db.transaction(() => this.freeOrphans(editionId, this.liveRuns(editionId))).immediate();
  }

  async heldByOthers(editionId: number, owner: string): Promise<{ rows: number; leaseEndsAt?: Date }> {
    const { rows } = this.db
      .prepare(`SELECT count(*) AS rows FROM deliveries WHERE edition_id = ? AND claimed_by IS NOT NULL AND claimed_by <> ? AND status IN ('pending', 'retry', 'sending')`)
      .get(editionId, owner) as { rows: number };
    const { until } = this.db.prepare('SELECT min(lease_until) AS until FROM delivery_runs WHERE edition_id = ? AND id <> ?').get(editionId, owner) as { until: string | null };
    return { rows, ...(until ? { leaseEndsAt: new Date(until) } : {}) };
  }

  async takeSendSlots(editionId: number, count: number, intervalMs: number): Promise<number> {
    const now = Date.now();
    const { start } = this.db
      .prepare(`INSERT INTO send_pacing (edition_id, next_slot_ms) VALUES (@editionId, @now + @span)
        ON CONFLICT (edition_id) DO UPDATE SET next_slot_ms = max(send_pacing.next_slot_ms, @now) + @span
        RETURNING next_slot_ms - @span AS start`)
      .get({ editionId, now, span: count * intervalMs }) as { start: number };
    return Math.max(0, start - now);
  }

  async dueRetries(now: Date): Promise<{ list: string; day: string }[]> {
    return this.db
      .prepare(`SELECT DISTINCT l.name AS list, e.day FROM deliveries d JOIN editions e ON e.id = d.edition_id JOIN lists l ON l.id = e.list_id
        WHERE d.status = 'retry' AND d.next_attempt_at <= ? ORDER BY e.day, l.name`)
      .all(now.toISOString()) as { list: string; day: string }[];
  }

  async endRun(editionId: number, owner: string): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare(`UPDATE deliveries SET claimed_by = NULL WHERE edition_id = ? AND claimed_by = ? AND status IN ('pending', 'retry')`).run(editionId, owner);
      this.db.prepare('DELETE FROM delivery_runs WHERE id = ?').run(owner);
    }).immediate();
  }

  async reserve(editionId: number, owner: string, limit: number, now: Date, after = 0): Promise<DueDelivery[]> {
    return this.db.transaction(() => {
      const params = { editionId, after, now: now.toISOString() };
      const rows = this.statements.dueRows!.all({ ...params, limit }) as DueRow[];
      if (rows.length > 0) this.statements.reserve!.run({ ...params, owner, last: rows.at(-1)!.subscriber_id });
      return rows.map(toDue);
    }).immediate();
  }

  async claim(editionId: number, subscriberId: number, list: string, owner: string): Promise<ClaimOutcome> {
    if (this.statements.claim!.run({ editionId, subscriberId, list, owner, now: nowIso() }).changes === 1) return 'claimed';
    if (!this.statements.runAlive!.get(owner)) return 'lost';
    return this.statements.skip!.run(editionId, subscriberId, owner).changes === 1 ? 'skipped' : 'gone';
  }

  async claimMany(editionId: number, subscriberIds: readonly number[], list: string, owner: string): Promise<Map<number, ClaimOutcome>> {
    const outcomes = new Map<number, ClaimOutcome>();
    for (const id of subscriberIds) outcomes.set(id, await this.claim(editionId, id, list, owner));
    return outcomes;
  }

  async markSentMany(editionId: number, subscriberIds: readonly number[], owner: string): Promise<Set<number>> {
    const marked = new Set<number>();
    for (const id of subscriberIds) if (await this.markSent(editionId, id, owner)) marked.add(id);
    return marked;
  }

  async markSent(editionId: number, subscriberId: number, owner: string): Promise<boolean> {
    return this.statements.sent!.run({ editionId, subscriberId, owner, now: nowIso() }).changes === 1;
  }

  async markWaiting(editionId: number, subscriberId: number, owner: string, failure: { kind: FailureKind; reason: string; at: Date; spendAttempt: boolean }): Promise<boolean> {
    const { kind, reason, at, spendAttempt } = failure;
    return this.statements.waiting!.run({ editionId, subscriberId, owner, kind, reason, at: at.toISOString(), giveBack: spendAttempt ? 0 : 1, now: nowIso() }).changes === 1;
  }

  async markFailed(editionId: number, subscriberId: number, owner: string, failure: { kind: FailureKind; reason: string }): Promise<boolean> {
    return this.statements.failed!.run({ editionId, subscriberId, owner, ...failure }).changes === 1;
  }

  async requeue(editionId: number, subscriberIds: readonly number[], owner: string, reason: string): Promise<number> {
    if (subscriberIds.length === 0) return 0;
    return this.db
      .prepare(`UPDATE deliveries SET status = 'retry', next_attempt_at = ?, attempts = max(attempts - 1, 0), last_error = ?, failure_kind = 'sender', claimed_by = NULL
        WHERE edition_id = ? AND claimed_by = ? AND status = 'failed' AND subscriber_id IN (SELECT value FROM json_each(?))`)
      .run(nowIso(), reason, editionId, owner, JSON.stringify(subscriberIds)).changes;
  }

  async retryFailed(editionId: number): Promise<number> {
    return this.db
      .prepare(`UPDATE deliveries SET status = 'retry', next_attempt_at = ?, attempts = 0, deferred_since = NULL, claimed_by = NULL
        WHERE edition_id = ? AND status = 'failed' AND coalesce(failure_kind, '') <> 'bounce'`)
      .run(nowIso(), editionId).changes;
  }

  async setAsideDemo(editionId: number): Promise<number> {
    return this.db
      .prepare(`UPDATE deliveries SET status = 'skipped', last_error = ?, next_attempt_at = NULL, claimed_by = NULL
        WHERE edition_id = ? AND status IN ('pending', 'retry') AND subscriber_id IN (SELECT id FROM subscribers WHERE demo = 1)`)
      .run(demoSetAside, editionId).changes;
  }

  async settledAmong(editionId: number, subscriberIds: readonly number[]): Promise<Set<number>> {
    const rows = this.db
      .prepare(`SELECT subscriber_id AS id FROM deliveries WHERE edition_id = ? AND status IN ('sent', 'failed', 'skipped')
        AND subscriber_id IN (SELECT value FROM json_each(?))`)
      .all(editionId, JSON.stringify(subscriberIds)) as { id: number }[];
    return new Set(rows.map((row) => row.id));
  }

  async recordLastSent(editionId: number): Promise<void> {
    this.statements.lastSent!.run(editionId);
  }

  async counts(editionId: number): Promise<DeliveryCounts> {
    const counts = emptyCounts();
    const rows = this.db.prepare('SELECT status, count(*) AS n FROM deliveries WHERE edition_id = ? GROUP BY status').all(editionId) as {
      status: keyof DeliveryCounts; n: number;
    }[];
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  }

  async nextRetryAt(editionId: number): Promise<Date | undefined> {
    const row = this.db
      .prepare(`SELECT min(next_attempt_at) AS next FROM deliveries WHERE edition_id = ? AND status = 'retry'`)
      .get(editionId) as { next: string | null };
    return row.next ? new Date(row.next) : undefined;
  }

  async failureGroups(editionId: number): Promise<FailureGroup[]> {
    return this.db
      .prepare(`SELECT CASE status WHEN 'failed' THEN 'failed' ELSE 'waiting' END AS status, coalesce(failure_kind, 'unknown') AS kind,
          last_error AS reason, count(*) AS count
        FROM deliveries WHERE edition_id = ? AND status IN ('failed', 'retry', 'pending') AND last_error IS NOT NULL
        GROUP BY 1, 2, 3 ORDER BY count DESC, reason`)
      .all(editionId) as FailureGroup[];
  }

  async failures(editionId: number, limit: number): Promise<FailedDelivery[]> {
    const rows = this.db
      .prepare(`SELECT d.subscriber_id AS subscriberId, s.email, CASE d.status WHEN 'failed' THEN 'failed' ELSE 'waiting' END AS status,
          coalesce(d.failure_kind, 'unknown') AS kind, d.last_error AS reason, d.attempts, d.next_attempt_at AS nextAttemptAt
        FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
        WHERE d.edition_id = ? AND d.status IN ('failed', 'retry', 'pending') AND d.last_error IS NOT NULL
        ORDER BY d.status, s.email LIMIT ?`)
      .all(editionId, limit) as (FailedDelivery & { nextAttemptAt: string | null })[];
    return rows.map(({ nextAttemptAt, ...row }) => ({ ...row, ...(nextAttemptAt && row.status === 'waiting' ? { nextAttemptAt } : {}) }));
  }
}
