import { statement, type Db } from '../db/index.js';
import type { BounceEvent, BounceStore, EditionFeedback, StoredBounceEvent } from './events.js';
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
  received_at: string;
}

/** A stored row as an event (shared by both backends: only `hard` differs, 0/1 against false/true). */
export const toEvent = (row: EventRow): StoredBounceEvent => ({
  id: row.id,
  dedupeKey: row.dedupe_key,
  kind: row.kind,
  source: row.source,
  action: row.action,
  receivedAt: row.received_at,
  ...(row.subscriber_id !== null ? { subscriberId: row.subscriber_id } : {}),
  ...(row.edition_id !== null ? { editionId: row.edition_id } : {}),
  ...(row.email !== null ? { email: row.email } : {}),
  ...(row.status !== null ? { status: row.status } : {}),
  ...(row.hard !== null ? { hard: Boolean(row.hard) } : {}),
  ...(row.reason !== null ? { reason: row.reason } : {}),
});

/**
 * The last good delivery: a sent message no bounce came back for. The delivery the new bounce is
 * about (its edition, or when the report did not say, the reader's latest) is not one, even though
 * its bounce is not stored yet. `edition` is a placeholder for the new bounce's edition id or NULL.
 */
export const lastGoodDelivery = (subscriber: string, edition: string) => `(SELECT max(d.sent_at) FROM deliveries d
  WHERE d.subscriber_id = ${subscriber} AND d.status = 'sent'
    AND d.edition_id <> coalesce(${edition}, (SELECT latest.edition_id FROM deliveries latest
      WHERE latest.subscriber_id = ${subscriber} AND latest.status = 'sent' ORDER BY latest.sent_at DESC LIMIT 1))
    AND NOT EXISTS (SELECT 1 FROM bounce_events b WHERE b.subscriber_id = d.subscriber_id AND b.edition_id = d.edition_id AND b.kind = 'bounce'))`;

export class SqliteBounceStore implements BounceStore {
  constructor(private readonly db: Db) {}

  async record(event: BounceEvent): Promise<'new' | 'duplicate'> {
    const result = statement(this.db, `INSERT INTO bounce_events (dedupe_key, subscriber_id, edition_id, kind, email, status, hard, reason, source, action, received_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING`)
      .run(
        event.dedupeKey, event.subscriberId ?? null, event.editionId ?? null, event.kind, event.email ?? null, event.status ?? null,
        event.hard === undefined ? null : event.hard ? 1 : 0, event.reason ?? null, event.source, event.action, event.receivedAt,
      );
    return result.changes === 1 ? 'new' : 'duplicate';
  }

  async has(dedupeKey: string): Promise<boolean> {
    return statement(this.db, 'SELECT 1 FROM bounce_events WHERE dedupe_key = ?').get(dedupeKey) !== undefined;
  }

  async softSinceLastDelivery(subscriberId: number, since: Date, editionId?: number): Promise<number> {
    const row = statement(this.db, `SELECT count(*) AS n FROM bounce_events WHERE subscriber_id = @id AND kind = 'bounce' AND hard = 0
          AND received_at > @since AND received_at > coalesce(${lastGoodDelivery('@id', '@edition')}, '')`)
      .get({ id: subscriberId, since: since.toISOString(), edition: editionId ?? null }) as { n: number };
    return row.n;
  }

  async list(options: { since?: string; kind?: BounceKind; limit: number }): Promise<StoredBounceEvent[]> {
    const rows = statement(this.db, `SELECT * FROM bounce_events WHERE (@since IS NULL OR received_at >= @since) AND (@kind IS NULL OR kind = @kind)
        ORDER BY received_at DESC, id DESC LIMIT @limit`)
      .all({ since: options.since ?? null, kind: options.kind ?? null, limit: options.limit }) as EventRow[];
    return rows.map(toEvent);
  }

  async feedback(editionId: number): Promise<EditionFeedback> {
    return statement(this.db, `SELECT (SELECT count(*) FROM deliveries WHERE edition_id = @id AND status = 'sent') AS sent,
          count(DISTINCT CASE WHEN kind = 'bounce' THEN subscriber_id END) AS bounces,
          count(DISTINCT CASE WHEN kind = 'bounce' AND hard = 1 THEN subscriber_id END) AS hardBounces,
          count(DISTINCT CASE WHEN kind = 'complaint' THEN subscriber_id END) AS complaints
        FROM bounce_events WHERE edition_id = @id`)
      .get({ id: editionId }) as EditionFeedback;
  }
}
