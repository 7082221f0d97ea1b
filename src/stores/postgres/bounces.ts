import type { BounceEvent, BounceStore, EditionActions, EditionFeedback, EventFilter, StoredBounceEvent } from '../../bounces/index.js';
import { type EventRow, eventValues, toEditionActions, toEvent, toFeedback } from '../common/index.js';
import type { PgQueryable } from './pool.js';
import { bounceSql } from './sql/index.js';

export class PostgresBounceStore implements BounceStore {
  constructor(private readonly db: PgQueryable) {}

  async record(event: BounceEvent): Promise<'new' | 'duplicate'> {
    const result = await this.db.query(
      bounceSql.record,
      eventValues(event, (hard) => hard),
    );
    return result.rowCount === 1 ? 'new' : 'duplicate';
  }

  async has(dedupeKey: string): Promise<boolean> {
    return ((await this.db.query(bounceSql.has, [dedupeKey])).rowCount ?? 0) > 0;
  }

  async softBounces(subscriberId: number, since: Date, editionId?: number): Promise<{ messages: number; thisMessage: boolean }> {
    const { rows } = await this.db.query<{ messages: string; this_message: number }>(bounceSql.softBounces, [
      subscriberId,
      since.toISOString(),
      editionId ?? null,
    ]);
    return { messages: Number(rows[0]!.messages), thisMessage: Number(rows[0]!.this_message) === 1 };
  }

  async list(filter: EventFilter): Promise<StoredBounceEvent[]> {
    const { rows } = await this.db.query<EventRow>(bounceSql.list, [
      filter.since ?? null,
      filter.kind ?? null,
      filter.limit,
      filter.actions ?? null,
      filter.editionId ?? null,
    ]);
    return rows.map(toEvent);
  }

  async byIds(ids: readonly number[]): Promise<StoredBounceEvent[]> {
    return (await this.db.query<EventRow>(bounceSql.byIds, [ids])).rows.map(toEvent);
  }

  async review(id: number, action: StoredBounceEvent['action'], reviewedAt: string): Promise<boolean> {
    return (await this.db.query(bounceSql.review, [action, reviewedAt, id])).rowCount === 1;
  }

  async feedback(editionId: number): Promise<EditionFeedback> {
    return toFeedback((await this.db.query<Record<keyof EditionFeedback, string>>(bounceSql.feedback, [editionId])).rows[0]!);
  }

  async editionActions(editionId: number): Promise<EditionActions> {
    return toEditionActions((await this.db.query<Record<keyof EditionActions, string>>(bounceSql.editionActions, [editionId])).rows[0]!);
  }

  async actedWithoutEdition(since: Date): Promise<number> {
    return Number((await this.db.query<{ n: string }>(bounceSql.actedWithoutEdition, [since.toISOString()])).rows[0]!.n);
  }

  async sentMessageId(editionId: number, subscriberId: number): Promise<string | undefined> {
    return (await this.db.query<{ message_id: string }>(bounceSql.sentMessageId, [editionId, subscriberId])).rows[0]?.message_id;
  }

  async firstUse(token: string, until: Date, now: Date): Promise<boolean> {
    await this.db.query(bounceSql.forgetTokensBefore, [now.toISOString()]);
    return (await this.db.query(bounceSql.useToken, [token, until.toISOString()])).rowCount === 1;
  }
}
