import type { BounceEvent, BounceStore, EditionActions, EditionFeedback, EventFilter, StoredBounceEvent } from '../../bounces/index.js';
import { acted, lastGoodDelivery, softBounceMessages, toEvent, type EventRow } from '../common/index.js';
import { statement, type Db } from './open.js';

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
