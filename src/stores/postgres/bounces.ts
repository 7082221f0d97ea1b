import type { BounceEvent, BounceStore, EditionActions, EditionFeedback, EventFilter, StoredBounceEvent } from '../../bounces/index.js';
import { acted, lastGoodDelivery, softBounceMessages, toEvent, type EventRow } from '../common/index.js';
import type { PgQueryable } from './pool.js';

export class PostgresBounceStore implements BounceStore {
  constructor(private readonly db: PgQueryable) {}

  async record(event: BounceEvent): Promise<'new' | 'duplicate'> {
    const result = await this.db.query(
      `INSERT INTO bounce_events (dedupe_key, subscriber_id, edition_id, kind, email, status, hard, reason, source, action, evidence, received_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (dedupe_key) DO NOTHING`,
      [
        event.dedupeKey, event.subscriberId ?? null, event.editionId ?? null, event.kind, event.email ?? null, event.status ?? null,
        event.hard ?? null, event.reason ?? null, event.source, event.action, event.evidence ?? null, event.receivedAt,
      ],
    );
    return result.rowCount === 1 ? 'new' : 'duplicate';
  }

  async has(dedupeKey: string): Promise<boolean> {
    return ((await this.db.query('SELECT 1 FROM bounce_events WHERE dedupe_key = $1', [dedupeKey])).rowCount ?? 0) > 0;
  }

  async softBounces(subscriberId: number, since: Date, editionId?: number): Promise<{ messages: number; thisMessage: boolean }> {
    const { rows } = await this.db.query<{ messages: string; this_message: number }>(
      `SELECT ${softBounceMessages('$3::bigint')} FROM bounce_events WHERE subscriber_id = $1 AND kind = 'bounce' AND hard = false AND ${acted}
        AND received_at > $2 AND received_at > coalesce(${lastGoodDelivery('$1', '$3::bigint')}, '-infinity')`,
      [subscriberId, since.toISOString(), editionId ?? null],
    );
    return { messages: Number(rows[0]!.messages), thisMessage: Number(rows[0]!.this_message) === 1 };
  }

  async list(filter: EventFilter): Promise<StoredBounceEvent[]> {
    const { rows } = await this.db.query(
      `SELECT * FROM bounce_events WHERE ($1::timestamptz IS NULL OR received_at >= $1) AND ($2::text IS NULL OR kind = $2)
          AND ($4::text[] IS NULL OR action = ANY($4)) AND ($5::bigint IS NULL OR edition_id = $5)
        ORDER BY received_at DESC, id DESC LIMIT $3`,
      [filter.since ?? null, filter.kind ?? null, filter.limit, filter.actions ?? null, filter.editionId ?? null],
    );
    return rows.map((row) => toEvent(row as Parameters<typeof toEvent>[0]));
  }

  async byIds(ids: readonly number[]): Promise<StoredBounceEvent[]> {
    const { rows } = await this.db.query('SELECT * FROM bounce_events WHERE id = ANY($1::bigint[]) ORDER BY id', [ids]);
    return rows.map((row) => toEvent(row as Parameters<typeof toEvent>[0]));
  }

  async review(id: number, action: StoredBounceEvent['action'], reviewedAt: string): Promise<boolean> {
    const result = await this.db.query(`UPDATE bounce_events SET action = $1, reviewed_at = $2 WHERE id = $3 AND action IN ('unverified', 'held')`, [action, reviewedAt, id]);
    return result.rowCount === 1;
  }

  async feedback(editionId: number): Promise<EditionFeedback> {
    const { rows } = await this.db.query<Record<keyof EditionFeedback, string>>(
      `SELECT (SELECT count(*) FROM deliveries WHERE edition_id = $1 AND status = 'sent') AS sent,
          count(DISTINCT subscriber_id) FILTER (WHERE kind = 'bounce') AS bounces,
          count(DISTINCT subscriber_id) FILTER (WHERE kind = 'bounce' AND hard) AS "hardBounces",
          count(DISTINCT subscriber_id) FILTER (WHERE kind = 'complaint') AS complaints
        FROM bounce_events WHERE edition_id = $1 AND ${acted}`,
      [editionId],
    );
    const row = rows[0]!;
    return { sent: Number(row.sent), bounces: Number(row.bounces), hardBounces: Number(row.hardBounces), complaints: Number(row.complaints) };
  }

  async editionActions(editionId: number): Promise<EditionActions> {
    const { rows } = await this.db.query<Record<keyof EditionActions, string>>(
      `SELECT (SELECT count(*) FROM deliveries WHERE edition_id = $1 AND status = 'sent') AS sent,
          count(DISTINCT subscriber_id) FILTER (WHERE action IN ('bounced', 'complained')) AS acted,
          count(*) FILTER (WHERE action = 'held') AS held
        FROM bounce_events WHERE edition_id = $1`,
      [editionId],
    );
    const row = rows[0]!;
    return { sent: Number(row.sent), acted: Number(row.acted), held: Number(row.held) };
  }

  async actedWithoutEdition(since: Date): Promise<number> {
    const { rows } = await this.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM bounce_events WHERE edition_id IS NULL AND action IN ('bounced', 'complained', 'held') AND received_at > $1`,
      [since.toISOString()],
    );
    return Number(rows[0]!.n);
  }

  async sentMessageId(editionId: number, subscriberId: number): Promise<string | undefined> {
    const { rows } = await this.db.query<{ message_id: string }>('SELECT message_id FROM deliveries WHERE edition_id = $1 AND subscriber_id = $2', [editionId, subscriberId]);
    return rows[0]?.message_id;
  }

  async firstUse(token: string, until: Date, now: Date): Promise<boolean> {
    await this.db.query('DELETE FROM used_tokens WHERE expires_at < $1', [now.toISOString()]);
    const result = await this.db.query('INSERT INTO used_tokens (token, expires_at) VALUES ($1, $2) ON CONFLICT (token) DO NOTHING', [token, until.toISOString()]);
    return result.rowCount === 1;
  }
}
