import type { BounceEvent, BounceStore, EditionActions, EditionFeedback, EventFilter, StoredBounceEvent } from '../../bounces/index.js';
import { type EventRow, eventValues, toEditionActions, toEvent, toFeedback } from '../common/index.js';
import { type Db, statement } from './open.js';
import { bounceSql } from './sql/index.js';

export class SqliteBounceStore implements BounceStore {
  constructor(private readonly db: Db) {}

  async record(event: BounceEvent): Promise<'new' | 'duplicate'> {
    const result = statement(this.db, bounceSql.record).run(...eventValues(event, (hard) => (hard ? 1 : 0)));
    return result.changes === 1 ? 'new' : 'duplicate';
  }

  async has(dedupeKey: string): Promise<boolean> {
    return statement(this.db, bounceSql.has).get(dedupeKey) !== undefined;
  }

  async softBounces(subscriberId: number, since: Date, editionId?: number): Promise<{ messages: number; thisMessage: boolean }> {
    const row = statement(this.db, bounceSql.softBounces).get({ id: subscriberId, since: since.toISOString(), edition: editionId ?? null }) as {
      messages: number;
      this_message: number;
    };
    return { messages: row.messages, thisMessage: row.this_message === 1 };
  }

  async list(filter: EventFilter): Promise<StoredBounceEvent[]> {
    const rows = statement(this.db, bounceSql.list).all({
      since: filter.since ?? null,
      kind: filter.kind ?? null,
      actions: filter.actions ? JSON.stringify(filter.actions) : null,
      edition: filter.editionId ?? null,
      limit: filter.limit,
    }) as EventRow[];
    return rows.map(toEvent);
  }

  async byIds(ids: readonly number[]): Promise<StoredBounceEvent[]> {
    return (statement(this.db, bounceSql.byIds).all(JSON.stringify(ids)) as EventRow[]).map(toEvent);
  }

  async review(id: number, action: StoredBounceEvent['action'], reviewedAt: string): Promise<boolean> {
    return statement(this.db, bounceSql.review).run(action, reviewedAt, id).changes === 1;
  }

  async feedback(editionId: number): Promise<EditionFeedback> {
    return toFeedback(statement(this.db, bounceSql.feedback).get({ id: editionId }) as EditionFeedback);
  }

  async editionActions(editionId: number): Promise<EditionActions> {
    return toEditionActions(statement(this.db, bounceSql.editionActions).get({ id: editionId }) as EditionActions);
  }

  async actedWithoutEdition(since: Date): Promise<number> {
    return (statement(this.db, bounceSql.actedWithoutEdition).get(since.toISOString()) as { n: number }).n;
  }

  async sentMessageId(editionId: number, subscriberId: number): Promise<string | undefined> {
    return (statement(this.db, bounceSql.sentMessageId).get(editionId, subscriberId) as { message_id: string } | undefined)?.message_id;
  }

  async firstUse(token: string, until: Date, now: Date): Promise<boolean> {
    statement(this.db, bounceSql.forgetTokensBefore).run(now.toISOString());
    return statement(this.db, bounceSql.useToken).run(token, until.toISOString()).changes === 1;
  }
}
