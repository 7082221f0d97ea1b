import type pg from 'pg';
import { emptyCounts, type DeliveryCounts } from '../../editions/index.js';
import { messageIdMacSlot, preferencesOf } from '../../subscribers/index.js';
import { inTransaction, postgresStoreId, type PgPool } from './pool.js';
import {
  type AlertSet,
  type Audience,
  demoSetAside,
  ownerIsDead,
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
  WHERE s.id = $2 AND s.status = 'active' AND m.status = 'active'
    AND m.list_id = (SELECT id FROM lists WHERE name = $3))`;

/** Rows whose run is gone (its lease ran out, or it was removed): their claims mean nothing any more. */
const orphaned = `claimed_by IS NOT NULL AND claimed_by NOT IN (SELECT id FROM delivery_runs WHERE edition_id = $1)`;

const liveSenders = `(SELECT count(*) FROM delivery_runs WHERE edition_id = $1 AND lease_until > now())`;

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
    const result = await this.query(
      `INSERT INTO deliveries (edition_id, subscriber_id, status, message_id)
        SELECT $1, s.id, 'pending', '<' || (SELECT day FROM editions WHERE id = $1) || '.' || $1 || '.' || s.id || '.' || $4 || '.' || $7 || '@' || $3 || '>'
        FROM subscribers s JOIN list_members m ON m.subscriber_id = s.id
        WHERE m.list_id = (SELECT id FROM lists WHERE name = $2) AND m.status = 'active' AND s.status = 'active'
          AND (s.frequency = ANY($5) OR (s.frequency = 'alerts' AND s.alerts = ANY($6::jsonb[])))
          AND (NOT s.demo OR $8)
        ON CONFLICT (edition_id, subscriber_id) DO NOTHING`,
      [editionId, list, messageIdDomain, await this.storeId, audience.frequencies, audience.alertSets, messageIdMacSlot, !audience.leaveOutDemo],
    );
    return result.rowCount ?? 0;
  }

  async alertSets(list: string): Promise<AlertSet[]> {
    const { rows } = await this.query<{ alerts: string; readers: string }>(
      `SELECT s.alerts::text AS alerts, count(*) AS readers FROM subscribers s JOIN list_members m ON m.subscriber_id = s.id
        WHERE m.list_id = (SELECT id FROM lists WHERE name = $1) AND m.status = 'active' AND s.status = 'active' AND s.frequency = 'alerts'
        GROUP BY s.alerts`,
      [list],
    );
    return rows.map((row) => ({ alerts: row.alerts, readers: Number(row.readers) }));
  }

  /** Frees what runs whose lease ran out left behind: the rows that were in flight, and those only reserved. */
  private async freeOrphans(db: pg.PoolClient, editionId: number): Promise<{ inFlight: number; reserved: number }> {
    const inFlight = await db.query(`UPDATE deliveries SET status = 'pending', claimed_by = NULL WHERE edition_id = $1 AND status = 'sending' AND (claimed_by IS NULL OR ${orphaned})`, [editionId]);
    const reserved = await db.query(`UPDATE deliveries SET claimed_by = NULL WHERE edition_id = $1 AND status IN ('pending', 'retry') AND ${orphaned}`, [editionId]);
    return { inFlight: inFlight.rowCount ?? 0, reserved: reserved.rowCount ?? 0 };
  }

  /** Removes the runs of this edition whose lease ran out (or whose process on this host is gone); returns the live ones. */
  private async dropExpired(db: pg.PoolClient, editionId: number): Promise<{ id: string }[]> {
    await db.query('SELECT pg_advisory_xact_lock($1)', [editionId]); // one sender at a time looks after an edition's runs
    const runs = await db.query<{ id: string; expired: boolean }>('SELECT id, lease_until < now() AS expired FROM delivery_runs WHERE edition_id = $1', [editionId]);
    const expired = runs.rows.filter((run) => run.expired || ownerIsDead(run.id)).map((run) => run.id);
    if (expired.length > 0) await db.query('DELETE FROM delivery_runs WHERE id = ANY($1)', [expired]);
    return runs.rows.filter((run) => !expired.includes(run.id));
  }

  async startRun(editionId: number, owner: string, options: StartRunOptions): Promise<StartedRun> {
    return inTransaction(this.pool, async (db): Promise<StartedRun> => {
      const live = (await this.dropExpired(db, editionId)).filter((run) => run.id !== owner);
      if (options.exclusive && live[0]) return { started: false, holder: live[0].id };
      const recovered = (await this.freeOrphans(db, editionId)).inFlight;
      await db.query(
        `INSERT INTO delivery_runs (id, edition_id, started_at, lease_until) VALUES ($1, $2, now(), now() + $3 * interval '1 millisecond')
          ON CONFLICT (id) DO UPDATE SET lease_until = excluded.lease_until`,
        [owner, editionId, options.leaseMs],
      );
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
    const { rows } = await this.query<{ rows: number; until: string | null }>(
      `SELECT (SELECT count(*) FROM deliveries WHERE edition_id = $1 AND claimed_by IS NOT NULL AND claimed_by <> $2 AND status IN ('pending', 'retry', 'sending')) AS rows,
          (SELECT min(lease_until) FROM delivery_runs WHERE edition_id = $1 AND id <> $2) AS until`,
      [editionId, owner],
    );
    const row = rows[0]!;
    return { rows: Number(row.rows), ...(row.until ? { leaseEndsAt: new Date(row.until) } : {}) };
  }

  /** Timed by the database's clock, so senders on several machines keep one pace; the wait is returned, not a time. */
  async takeSendSlots(editionId: number, count: number, intervalMs: number): Promise<number> {
    const { rows } = await this.relaxedQuery<{ wait_ms: number }>(
      `INSERT INTO send_pacing (edition_id, next_slot) VALUES ($1, clock_timestamp() + $2 * interval '1 millisecond')
        ON CONFLICT (edition_id) DO UPDATE SET next_slot = greatest(send_pacing.next_slot, clock_timestamp()) + $2 * interval '1 millisecond'
        RETURNING greatest(0, extract(epoch FROM (send_pacing.next_slot - $2 * interval '1 millisecond' - clock_timestamp())) * 1000)::float8 AS wait_ms`,
      [editionId, count * intervalMs],
    );
    return rows[0]!.wait_ms;
  }

  async dueRetries(now: Date): Promise<{ list: string; day: string }[]> {
    const { rows } = await this.query<{ list: string; day: string }>(
      `SELECT DISTINCT l.name AS list, e.day FROM deliveries d JOIN editions e ON e.id = d.edition_id JOIN lists l ON l.id = e.list_id
        WHERE d.status = 'retry' AND d.next_attempt_at <= $1 ORDER BY e.day, l.name`,
      [now.toISOString()],
    );
    return rows;
  }

  async renewRun(editionId: number, owner: string, leaseMs: number): Promise<RenewedRun> {
    const { rows } = await this.query<{ senders: number }>(
      `UPDATE delivery_runs SET lease_until = now() + $3 * interval '1 millisecond' WHERE id = $2 AND edition_id = $1
        RETURNING ${liveSenders} AS senders`,
      [editionId, owner, leaseMs],
    );
    return rows[0] ? { held: true, senders: Math.max(1, rows[0].senders) } : { held: false, senders: 0 };
  }

  async endRun(editionId: number, owner: string): Promise<void> {
    await inTransaction(this.pool, async (db) => {
      await db.query(`UPDATE deliveries SET claimed_by = NULL WHERE edition_id = $1 AND claimed_by = $2 AND status IN ('pending', 'retry')`, [editionId, owner]);
      await db.query('DELETE FROM delivery_runs WHERE id = $1', [owner]);
    });
  }

  async reserve(editionId: number, owner: string, limit: number, now: Date, after = 0): Promise<DueDelivery[]> {
    const { rows } = await this.relaxedQuery<{
      subscriber_id: number; message_id: string; attempts: number; deferred_since: string | null; email: string; name: string; topics: string[]; max_papers: number | null; frequency: string; alerts: string[];
    }>(
      `WITH picked AS (
          SELECT edition_id, subscriber_id FROM deliveries
          WHERE edition_id = $1 AND claimed_by IS NULL AND subscriber_id > $3
            AND (status = 'pending' OR (status = 'retry' AND next_attempt_at <= $4))
          ORDER BY subscriber_id LIMIT $5
          FOR UPDATE SKIP LOCKED
        ), taken AS (
          UPDATE deliveries d SET claimed_by = $2 FROM picked p
          WHERE d.edition_id = p.edition_id AND d.subscriber_id = p.subscriber_id
          RETURNING d.subscriber_id, d.message_id, d.attempts, d.deferred_since
        )
        SELECT t.subscriber_id, t.message_id, t.attempts, t.deferred_since, s.email, s.name, s.topics, s.max_papers, s.frequency, s.alerts
        FROM taken t JOIN subscribers s ON s.id = t.subscriber_id ORDER BY t.subscriber_id`,
      [editionId, owner, after, now.toISOString(), limit],
    );
    return rows.map((row) => ({
      subscriberId: row.subscriber_id,
      email: row.email,
      name: row.name,
      messageId: row.message_id,
      attempts: row.attempts,
      ...(row.deferred_since ? { deferredSince: row.deferred_since } : {}),
      preferences: preferencesOf(row),
    }));
  }

  async claim(editionId: number, subscriberId: number, list: string, owner: string): Promise<ClaimOutcome> {
    const claimed = await this.query(
      `UPDATE deliveries SET status = 'sending', attempts = attempts + 1, claimed_at = now()
        WHERE edition_id = $1 AND subscriber_id = $2 AND claimed_by = $4 AND status IN ('pending', 'retry') AND ${activeOnList}`,
      [editionId, subscriberId, list, owner],
    );
    if (claimed.rowCount === 1) return 'claimed';
    const alive = await this.query('SELECT 1 FROM delivery_runs WHERE id = $1', [owner]);
    if (alive.rowCount === 0) return 'lost';
    const skipped = await this.query(
      `UPDATE deliveries SET status = 'skipped', last_error = 'no longer subscribed', claimed_by = NULL
        WHERE edition_id = $1 AND subscriber_id = $2 AND claimed_by = $3 AND status IN ('pending', 'retry')`,
      [editionId, subscriberId, owner],
    );
    return skipped.rowCount === 1 ? 'skipped' : 'gone';
  }

  async claimMany(editionId: number, subscriberIds: readonly number[], list: string, owner: string): Promise<Map<number, ClaimOutcome>> {
    const outcomes = new Map<number, ClaimOutcome>();
    const claimed = await this.relaxedQuery<{ subscriber_id: number }>(
      `UPDATE deliveries d SET status = 'sending', attempts = attempts + 1, claimed_at = now()
        WHERE d.edition_id = $1 AND d.subscriber_id = ANY($2) AND d.claimed_by = $4 AND d.status IN ('pending', 'retry')
          AND EXISTS (SELECT 1 FROM subscribers s JOIN list_members m ON m.subscriber_id = s.id
            WHERE s.id = d.subscriber_id AND s.status = 'active' AND m.status = 'active' AND m.list_id = (SELECT id FROM lists WHERE name = $3))
        RETURNING d.subscriber_id`,
      [editionId, subscriberIds, list, owner],
    );
    for (const row of claimed.rows) outcomes.set(row.subscriber_id, 'claimed');
    const rest = subscriberIds.filter((id) => !outcomes.has(id));
    if (rest.length === 0) return outcomes;
    const alive = await this.query('SELECT 1 FROM delivery_runs WHERE id = $1', [owner]);
    if (alive.rowCount === 0) {
      for (const id of rest) outcomes.set(id, 'lost');
      return outcomes;
    }
    const skipped = await this.query<{ subscriber_id: number }>(
      `UPDATE deliveries SET status = 'skipped', last_error = 'no longer subscribed', claimed_by = NULL
        WHERE edition_id = $1 AND subscriber_id = ANY($2) AND claimed_by = $3 AND status IN ('pending', 'retry') RETURNING subscriber_id`,
      [editionId, rest, owner],
    );
    const skippedIds = new Set(skipped.rows.map((row) => row.subscriber_id));
    for (const id of rest) outcomes.set(id, skippedIds.has(id) ? 'skipped' : 'gone');
    return outcomes;
  }

  async markSentMany(editionId: number, subscriberIds: readonly number[], owner: string): Promise<Set<number>> {
    const { rows } = await this.query<{ subscriber_id: number }>(
      `UPDATE deliveries SET status = 'sent', sent_at = now(), last_error = NULL, failure_kind = NULL, next_attempt_at = NULL, deferred_since = NULL
        WHERE edition_id = $1 AND subscriber_id = ANY($2) AND claimed_by = $3 AND status = 'sending' RETURNING subscriber_id`,
      [editionId, subscriberIds, owner],
    );
    return new Set(rows.map((row) => row.subscriber_id));
  }

  async markSent(editionId: number, subscriberId: number, owner: string): Promise<boolean> {
    const result = await this.query(
      `UPDATE deliveries SET status = 'sent', sent_at = now(), last_error = NULL, failure_kind = NULL, next_attempt_at = NULL, deferred_since = NULL
        WHERE edition_id = $1 AND subscriber_id = $2 AND claimed_by = $3 AND status = 'sending'`,
      [editionId, subscriberId, owner],
    );
    return result.rowCount === 1;
  }

  async markWaiting(editionId: number, subscriberId: number, owner: string, failure: { kind: FailureKind; reason: string; at: Date; spendAttempt: boolean }): Promise<boolean> {
    const result = await this.query(
      `UPDATE deliveries SET status = 'retry', last_error = $4, failure_kind = $5, next_attempt_at = $6,
          deferred_since = CASE WHEN $5 = 'deferred' THEN coalesce(deferred_since, now()) ELSE deferred_since END,
          attempts = greatest(attempts - $7, 0), claimed_by = NULL
        WHERE edition_id = $1 AND subscriber_id = $2 AND claimed_by = $3 AND status = 'sending'`,
      [editionId, subscriberId, owner, failure.reason, failure.kind, failure.at.toISOString(), failure.spendAttempt ? 0 : 1],
    );
    return result.rowCount === 1;
  }

  async markFailed(editionId: number, subscriberId: number, owner: string, failure: { kind: FailureKind; reason: string }): Promise<boolean> {
    const result = await this.query(
      `UPDATE deliveries SET status = 'failed', last_error = $4, failure_kind = $5, next_attempt_at = NULL
        WHERE edition_id = $1 AND subscriber_id = $2 AND claimed_by = $3 AND status = 'sending'`,
      [editionId, subscriberId, owner, failure.reason, failure.kind],
    );
    return result.rowCount === 1;
  }

  async requeue(editionId: number, subscriberIds: readonly number[], owner: string, reason: string): Promise<number> {
    if (subscriberIds.length === 0) return 0;
    const result = await this.query(
      `UPDATE deliveries SET status = 'retry', next_attempt_at = now(), attempts = greatest(attempts - 1, 0), last_error = $4, failure_kind = 'sender', claimed_by = NULL
        WHERE edition_id = $1 AND claimed_by = $2 AND status = 'failed' AND subscriber_id = ANY($3)`,
      [editionId, owner, subscriberIds, reason],
    );
    return result.rowCount ?? 0;
  }

  async retryFailed(editionId: number): Promise<number> {
    const result = await this.query(
      `UPDATE deliveries SET status = 'retry', next_attempt_at = now(), attempts = 0, deferred_since = NULL, claimed_by = NULL
        WHERE edition_id = $1 AND status = 'failed' AND coalesce(failure_kind, '') <> 'bounce'`,
      [editionId],
    );
    return result.rowCount ?? 0;
  }

  async setAsideDemo(editionId: number): Promise<number> {
    const result = await this.query(
      `UPDATE deliveries SET status = 'skipped', last_error = $2, next_attempt_at = NULL, claimed_by = NULL
        WHERE edition_id = $1 AND status IN ('pending', 'retry') AND claimed_by IS NULL AND subscriber_id IN (SELECT id FROM subscribers WHERE demo)`,
      [editionId, demoSetAside],
    );
    return result.rowCount ?? 0;
  }

  async settledAmong(editionId: number, subscriberIds: readonly number[]): Promise<Set<number>> {
    const { rows } = await this.query<{ id: string }>(
      `SELECT subscriber_id AS id FROM deliveries WHERE edition_id = $1 AND status IN ('sent', 'failed', 'skipped') AND subscriber_id = ANY($2::bigint[])`,
      [editionId, subscriberIds],
    );
    return new Set(rows.map((row) => Number(row.id)));
  }

  async recordLastSent(editionId: number): Promise<void> {
    await this.query(
      `UPDATE subscribers s SET last_sent_at = d.sent_at FROM deliveries d
        WHERE d.edition_id = $1 AND d.subscriber_id = s.id AND d.status = 'sent' AND (s.last_sent_at IS NULL OR s.last_sent_at < d.sent_at)`,
      [editionId],
    );
  }

  async counts(editionId: number): Promise<DeliveryCounts> {
    const counts = emptyCounts();
    const { rows } = await this.query<{ status: keyof DeliveryCounts; n: number }>('SELECT status, count(*) AS n FROM deliveries WHERE edition_id = $1 GROUP BY status', [editionId]);
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  }

  async nextRetryAt(editionId: number): Promise<Date | undefined> {
    const { rows } = await this.query<{ next: string | null }>(
      `SELECT min(next_attempt_at) AS next FROM deliveries WHERE edition_id = $1 AND status = 'retry' AND claimed_by IS NULL`,
      [editionId],
    );
    return rows[0]?.next ? new Date(rows[0].next) : undefined;
  }

  async failureGroups(editionId: number): Promise<FailureGroup[]> {
    const { rows } = await this.query<FailureGroup>(
      `SELECT CASE status WHEN 'failed' THEN 'failed' ELSE 'waiting' END AS status, coalesce(failure_kind, 'unknown') AS kind,
          last_error AS reason, count(*) AS count
        FROM deliveries WHERE edition_id = $1 AND status IN ('failed', 'retry', 'pending') AND last_error IS NOT NULL
        GROUP BY 1, 2, 3 ORDER BY count DESC, reason`,
      [editionId],
    );
    return rows;
  }

  async failures(editionId: number, limit: number): Promise<FailedDelivery[]> {
    const { rows } = await this.query<FailedDelivery & { nextAttemptAt: string | null }>(
      `SELECT d.subscriber_id AS "subscriberId", s.email, CASE d.status WHEN 'failed' THEN 'failed' ELSE 'waiting' END AS status,
          coalesce(d.failure_kind, 'unknown') AS kind, d.last_error AS reason, d.attempts, d.next_attempt_at AS "nextAttemptAt"
        FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
        WHERE d.edition_id = $1 AND d.status IN ('failed', 'retry', 'pending') AND d.last_error IS NOT NULL
        ORDER BY 3, s.email LIMIT $2`,
      [editionId, limit],
    );
    return rows.map(({ nextAttemptAt, ...row }) => ({ ...row, ...(nextAttemptAt && row.status === 'waiting' ? { nextAttemptAt } : {}) }));
  }
}
