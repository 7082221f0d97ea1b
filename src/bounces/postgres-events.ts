import type { PgQueryable } from '../db/index.js';
import type { BounceEvent, BounceStore, EditionFeedback, StoredBounceEvent } from './events.js';
import { lastGoodDelivery, toEvent } from './sqlite-events.js';
import type { BounceKind } from './types.js';

export class PostgresBounceStore implements BounceStore {
  constructor(private readonly db: PgQueryable) {}

  async record(event: BounceEvent): Promise<'new' | 'duplicate'> {
    const result = await this.db.query(
      `INSERT INTO bounce_events (dedupe_key, subscriber_id, edition_id, kind, email, status, hard, reason, source, action, received_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (dedupe_key) DO NOTHING`,
      [
        event.dedupeKey, event.subscriberId ?? null, event.editionId ?? null, event.kind, event.email ?? null, event.status ?? null,
        event.hard ?? null, event.reason ?? null, event.source, event.action, event.receivedAt,
      ],
    );
    return result.rowCount === 1 ? 'new' : 'duplicate';
  }

  async has(dedupeKey: string): Promise<boolean> {
    return ((await this.db.query('SELECT 1 FROM bounce_events WHERE dedupe_key = $1', [dedupeKey])).rowCount ?? 0) > 0;
  }

  async softSinceLastDelivery(subscriberId: number, since: Date, editionId?: number): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      `SELECT count(*) AS n FROM bounce_events WHERE subscriber_id = $1 AND kind = 'bounce' AND hard = false
        AND received_at > $2 AND received_at > coalesce(${lastGoodDelivery('$1', '$3::bigint')}, '-infinity')`,
      [subscriberId, since.toISOString(), editionId ?? null],
    );
    return rows[0]!.n;
  }

  async list(options: { since?: string; kind?: BounceKind; limit: number }): Promise<StoredBounceEvent[]> {
    const { rows } = await this.db.query(
      `SELECT * FROM bounce_events WHERE ($1::timestamptz IS NULL OR received_at >= $1) AND ($2::text IS NULL OR kind = $2)
        ORDER BY received_at DESC, id DESC LIMIT $3`,
      [options.since ?? null, options.kind ?? null, options.limit],
    );
    return rows.map((row) => toEvent(row as Parameters<typeof toEvent>[0]));
  }

  async feedback(editionId: number): Promise<EditionFeedback> {
    const { rows } = await this.db.query<EditionFeedback>(
      `SELECT (SELECT count(*) FROM deliveries WHERE edition_id = $1 AND status = 'sent') AS sent,
          count(DISTINCT subscriber_id) FILTER (WHERE kind = 'bounce') AS bounces,
          count(DISTINCT subscriber_id) FILTER (WHERE kind = 'bounce' AND hard) AS "hardBounces",
          count(DISTINCT subscriber_id) FILTER (WHERE kind = 'complaint') AS complaints
        FROM bounce_events WHERE edition_id = $1`,
      [editionId],
    );
    return rows[0]!;
  }
}
