import { statement, type Db } from '../db/index.js';
import { actedActions, type BounceEvent, type BounceStore, type EditionActions, type EditionFeedback, type EventFilter, type StoredBounceEvent } from './events.js';
import type { BounceKind } from './types.js';

interface EventRow {
  id: number;
  dedupe_key: string;
  subscriber_id: number | null;
  edition_id: number | null;
  kind: BounceKind;
  email: string | null;
  status: string | null;
  hard: number | boolean | null;
  reason: string | null;
  source: string;
  action: StoredBounceEvent['action'];
  evidence: StoredBounceEvent['evidence'] | null;
  received_at: string;
  reviewed_at: string | null;
}

/** A stored row as an event (shared by both backends: only `hard` differs, 0/1 against false/true). */
export const toEvent = (row: EventRow): StoredBounceEvent => ({
  id: Number(row.id),
  dedupeKey: row.dedupe_key,
  kind: row.kind,
  source: row.source,
  action: row.action,
  receivedAt: typeof row.received_at === 'string' ? row.received_at : new Date(row.received_at).toISOString(),
  ...(row.subscriber_id !== null ? { subscriberId: Number(row.subscriber_id) } : {}),
  ...(row.edition_id !== null ? { editionId: Number(row.edition_id) } : {}),
  ...(row.email !== null ? { email: row.email } : {}),
  ...(row.status !== null ? { status: row.status } : {}),
  ...(row.hard !== null ? { hard: Boolean(row.hard) } : {}),
  ...(row.reason !== null ? { reason: row.reason } : {}),
  ...(row.evidence ? { evidence: row.evidence } : {}),
  ...(row.reviewed_at ? { reviewedAt: typeof row.reviewed_at === 'string' ? row.reviewed_at : new Date(row.reviewed_at).toISOString() } : {}),
});

/** `action IN (…)` for the actions that count against a reader (both backends). */
export const acted = `action IN (${actedActions.map((action) => `'${action}'`).join(', ')})`;

/**
 * The last good delivery: a sent message no counted bounce came back for. The delivery the new
 * bounce is about (its edition, or when the report did not say, the reader's latest) is not one,
 * even though its bounce is not stored yet. `edition` is a placeholder for the new bounce's edition id or NULL.
 */
export const lastGoodDelivery = (subscriber: string, edition: string) => `(SELECT max(d.sent_at) FROM deliveries d
  WHERE d.subscriber_id = ${subscriber} AND d.status = 'sent'
    AND d.edition_id <> coalesce(${edition}, (SELECT latest.edition_id FROM deliveries latest
      WHERE latest.subscriber_id = ${subscriber} AND latest.status = 'sent' ORDER BY latest.sent_at DESC LIMIT 1))
    AND NOT EXISTS (SELECT 1 FROM bounce_events b WHERE b.subscriber_id = d.subscriber_id AND b.edition_id = d.edition_id AND b.kind = 'bounce' AND b.${acted}))`;

/** Soft bounces that counted: one per message (edition), a report naming no edition on its own. */
export const softBounceMessages = (edition: string) => `count(DISTINCT coalesce(edition_id, -id)) AS messages,
  coalesce(max(CASE WHEN edition_id = ${edition} THEN 1 ELSE 0 END), 0) AS this_message`;

export class SqliteBounceStore implements BounceStore {
  constructor(private readonly db: Db) {}

  async record(event: BounceEvent): Promise<'new' | 'duplicate'> {
    const result = statement(this.db, `INSERT INTO bounce_events (dedupe_key, subscriber_id, edition_id, kind, email, status, hard, reason, source, action, evidence, received_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING`)
      .run(
        event.dedupeKey, event.subscriberId ?? null, event.editionId ?? null, event.kind, event.email ?? null, event.status ?? null,
        event.hard === undefined ? null : event.hard ? 1 : 0, event.reason ?? null, event.source, event.action, event.evidence ?? null, event.receivedAt,
      );
    return result.changes === 1 ? 'new' : 'duplicate';
  }

  async has(dedupeKey: string): Promise<boolean> {
    return statement(this.db, 'SELECT 1 FROM bounce_events WHERE dedupe_key = ?').get(dedupeKey) !== undefined;
  }

  async softBounces(subscriberId: number, since: Date, editionId?: number): Promise<{ messages: number; thisMessage: boolean }> {
    const row = statement(this.db, `SELECT ${softBounceMessages('@edition')} FROM bounce_events
        WHERE subscriber_id = @id AND kind = 'bounce' AND hard = 0 AND ${acted}
          AND received_at > @since AND received_at > coalesce(${lastGoodDelivery('@id', '@edition')}, '')`)
      .get({ id: subscriberId, since: since.toISOString(), edition: editionId ?? null }) as { messages: number; this_message: number };
    return { messages: row.messages, thisMessage: row.this_message === 1 };
  }

  async list(filter: EventFilter): Promise<StoredBounceEvent[]> {
    const rows = statement(this.db, `SELECT * FROM bounce_events WHERE (@since IS NULL OR received_at >= @since) AND (@kind IS NULL OR kind = @kind)
          AND (@actions IS NULL OR action IN (SELECT value FROM json_each(@actions))) AND (@edition IS NULL OR edition_id = @edition)
        ORDER BY received_at DESC, id DESC LIMIT @limit`)
      .all({
        since: filter.since ?? null, kind: filter.kind ?? null, actions: filter.actions ? JSON.stringify(filter.actions) : null,
        edition: filter.editionId ?? null, limit: filter.limit,
      }) as EventRow[];
    return rows.map(toEvent);
  }

  async byIds(ids: readonly number[]): Promise<StoredBounceEvent[]> {
    const rows = statement(this.db, 'SELECT * FROM bounce_events WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id').all(JSON.stringify(ids)) as EventRow[];
    return rows.map(toEvent);
  }

  async review(id: number, action: StoredBounceEvent['action'], reviewedAt: string): Promise<boolean> {
    return statement(this.db, `UPDATE bounce_events SET action = ?, reviewed_at = ? WHERE id = ? AND action IN ('unverified', 'held')`).run(action, reviewedAt, id).changes === 1;
  }

  async feedback(editionId: number): Promise<EditionFeedback> {
    return statement(this.db, `SELECT (SELECT count(*) FROM deliveries WHERE edition_id = @id AND status = 'sent') AS sent,
          count(DISTINCT CASE WHEN kind = 'bounce' THEN subscriber_id END) AS bounces,
          count(DISTINCT CASE WHEN kind = 'bounce' AND hard = 1 THEN subscriber_id END) AS hardBounces,
          count(DISTINCT CASE WHEN kind = 'complaint' THEN subscriber_id END) AS complaints
        FROM bounce_events WHERE edition_id = @id AND ${acted}`)
      .get({ id: editionId }) as EditionFeedback;
  }

  async editionActions(editionId: number): Promise<EditionActions> {
    return statement(this.db, `SELECT (SELECT count(*) FROM deliveries WHERE edition_id = @id AND status = 'sent') AS sent,
          count(DISTINCT CASE WHEN action IN ('bounced', 'complained') THEN subscriber_id END) AS acted,
          count(CASE WHEN action = 'held' THEN 1 END) AS held
        FROM bounce_events WHERE edition_id = @id`)
      .get({ id: editionId }) as EditionActions;
  }

  async actedWithoutEdition(since: Date): Promise<number> {
    return (statement(this.db, `SELECT count(*) AS n FROM bounce_events WHERE edition_id IS NULL AND action IN ('bounced', 'complained', 'held') AND received_at > ?`)
      .get(since.toISOString()) as { n: number }).n;
  }

  async sentMessageId(editionId: number, subscriberId: number): Promise<string | undefined> {
    const row = statement(this.db, 'SELECT message_id FROM deliveries WHERE edition_id = ? AND subscriber_id = ?').get(editionId, subscriberId) as { message_id: string } | undefined;
    return row?.message_id;
  }

  async firstUse(token: string, until: Date, now: Date): Promise<boolean> {
    statement(this.db, 'DELETE FROM used_tokens WHERE expires_at < ?').run(now.toISOString());
    return statement(this.db, 'INSERT INTO used_tokens (token, expires_at) VALUES (?, ?) ON CONFLICT (token) DO NOTHING').run(token, until.toISOString()).changes === 1;
  }
}
