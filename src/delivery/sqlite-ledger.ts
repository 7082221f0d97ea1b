import type { Statement } from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { nowIso, type Db } from '../db/index.js';
import { emptyCounts, type DeliveryCounts } from '../editions/index.js';
import type { DueDelivery, Ledger } from './ledger.js';

/**
 * A run-lease owner: host and pid, so a dead holder on this host is recognised at once, and a
 * per-run id, so two runs in one process (a scheduler, tests) exclude each other too.
 */
export const runOwner = (): string => `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

function holderIsDead(owner: string): boolean {
  const [host, pid] = owner.split(':');
  if (host !== hostname() || !pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

const activeOnList = `EXISTS (SELECT 1 FROM subscribers s JOIN list_members m ON m.subscriber_id = s.id
  WHERE s.id = @subscriberId AND s.status = 'active' AND m.status = 'active'
    AND m.list_id = (SELECT id FROM lists WHERE name = @list))`;

export class SqliteLedger implements Ledger {
  private readonly statements: Record<string, Statement>;

  constructor(private readonly db: Db) {
    this.statements = {
      claim: db.prepare(`UPDATE deliveries SET status = 'sending', attempts = attempts + 1, claimed_at = @now
        WHERE edition_id = @editionId AND subscriber_id = @subscriberId AND status IN ('pending', 'retry') AND ${activeOnList}`),
      skip: db.prepare(`UPDATE deliveries SET status = 'skipped', last_error = 'no longer subscribed'
        WHERE edition_id = ? AND subscriber_id = ? AND status IN ('pending', 'retry')`),
      sent: db.prepare(`UPDATE deliveries SET status = 'sent', sent_at = @now, last_error = NULL, next_attempt_at = NULL
        WHERE edition_id = @editionId AND subscriber_id = @subscriberId`),
      // One statement at the end of a run instead of a second write per message.
      lastSent: db.prepare(`UPDATE subscribers SET last_sent_at = d.sent_at FROM deliveries d
        WHERE d.edition_id = ? AND d.subscriber_id = subscribers.id AND d.status = 'sent'
          AND (subscribers.last_sent_at IS NULL OR subscribers.last_sent_at < d.sent_at)`),
      retry: db.prepare(`UPDATE deliveries SET status = 'retry', last_error = @error, next_attempt_at = @next
        WHERE edition_id = @editionId AND subscriber_id = @subscriberId`),
      failed: db.prepare(`UPDATE deliveries SET status = 'failed', last_error = @error, next_attempt_at = NULL
        WHERE edition_id = @editionId AND subscriber_id = @subscriberId`),
      due: db.prepare(`SELECT d.subscriber_id, d.message_id, d.attempts, s.email, s.name, s.topics, s.max_papers
        FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
        WHERE d.edition_id = @editionId AND d.subscriber_id > @after
          AND (d.status = 'pending' OR (d.status = 'retry' AND d.next_attempt_at <= @now))
        ORDER BY d.subscriber_id LIMIT @limit`),
    };
  }

  async enqueue(editionId: number, list: string, messageIdDomain: string): Promise<number> {
    const day = (this.db.prepare('SELECT day FROM editions WHERE id = ?').get(editionId) as { day: string }).day;
    // One statement: SQLite streams the subscribers through, so memory does not grow with the list.
    const result = this.db
      .prepare(`INSERT INTO deliveries (edition_id, subscriber_id, status, message_id)
        SELECT @editionId, s.id, 'pending', '<' || @day || '.' || CAST(@editionId AS INTEGER) || '.' || s.id || '@' || @domain || '>'
        FROM subscribers s JOIN list_members m ON m.subscriber_id = s.id
        WHERE m.list_id = (SELECT id FROM lists WHERE name = @list) AND m.status = 'active' AND s.status = 'active'
        ON CONFLICT (edition_id, subscriber_id) DO NOTHING`)
      .run({ editionId, day, list, domain: messageIdDomain });
    return result.changes;
  }

  async recoverInFlight(editionId: number): Promise<number> {
    return this.db.prepare(`UPDATE deliveries SET status = 'pending' WHERE edition_id = ? AND status = 'sending'`).run(editionId).changes;
  }

  async due(editionId: number, afterSubscriberId: number, limit: number, now: Date): Promise<DueDelivery[]> {
    const rows = this.statements.due!.all({ editionId, after: afterSubscriberId, now: now.toISOString(), limit }) as {
      subscriber_id: number; message_id: string; attempts: number; email: string; name: string; topics: string; max_papers: number | null;
    }[];
    return rows.map((row) => ({
      subscriberId: row.subscriber_id,
      email: row.email,
      name: row.name,
      messageId: row.message_id,
      attempts: row.attempts,
      preferences: { topics: JSON.parse(row.topics) as string[], ...(row.max_papers ? { maxPapers: row.max_papers } : {}) },
    }));
  }

  async claim(editionId: number, subscriberId: number, list: string): Promise<'claimed' | 'skipped' | 'gone'> {
    if (this.statements.claim!.run({ editionId, subscriberId, list, now: nowIso() }).changes === 1) return 'claimed';
    return this.statements.skip!.run(editionId, subscriberId).changes === 1 ? 'skipped' : 'gone';
  }

  async markSent(editionId: number, subscriberId: number): Promise<void> {
    this.statements.sent!.run({ editionId, subscriberId, now: nowIso() });
  }

  async recordLastSent(editionId: number): Promise<void> {
    this.statements.lastSent!.run(editionId);
  }

  async markRetry(editionId: number, subscriberId: number, error: string, nextAttemptAt: Date): Promise<void> {
    this.statements.retry!.run({ editionId, subscriberId, error, next: nextAttemptAt.toISOString() });
  }

  async markFailed(editionId: number, subscriberId: number, error: string): Promise<void> {
    this.statements.failed!.run({ editionId, subscriberId, error });
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

  async acquireRun(editionId: number, owner: string, staleMs: number) {
    return this.db.transaction(() => {
      const row = this.db.prepare('SELECT run_owner, run_heartbeat_at FROM editions WHERE id = ?').get(editionId) as {
        run_owner: string | null; run_heartbeat_at: string | null;
      };
      const silentFor = row.run_heartbeat_at ? Date.now() - Date.parse(row.run_heartbeat_at) : Infinity;
      if (row.run_owner && row.run_owner !== owner && silentFor < staleMs && !holderIsDead(row.run_owner)) {
        return { acquired: false as const, holder: row.run_owner };
      }
      this.db.prepare('UPDATE editions SET run_owner = ?, run_heartbeat_at = ? WHERE id = ?').run(owner, nowIso(), editionId);
      return { acquired: true as const };
    }).immediate();
  }

  async heartbeat(editionId: number, owner: string): Promise<void> {
    this.db.prepare('UPDATE editions SET run_heartbeat_at = ? WHERE id = ? AND run_owner = ?').run(nowIso(), editionId, owner);
  }

  async releaseRun(editionId: number, owner: string): Promise<void> {
    this.db.prepare('UPDATE editions SET run_owner = NULL, run_heartbeat_at = NULL WHERE id = ? AND run_owner = ?').run(editionId, owner);
  }
}
