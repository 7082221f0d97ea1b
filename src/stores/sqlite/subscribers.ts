import { emailKey } from '../../subscribers/index.js';
import type { ConfirmationLimits, List, Preferences, Subscriber, SubscriberFilter, SubscriberInput, SubscriberStatus } from '../../subscribers/index.js';
import type { SubscriberStore, UpsertOptions, UpsertOutcome } from '../../subscribers/index.js';
import { checkNewListName, checkNoEditions, checkRemovableList, confirmationWindow, filterSql, listExists, noListToRemove } from '../common/index.js';
import { notOnList, toList, toSubscriber, withinAllowance } from '../common/index.js';
import type { ListRow, SubscriberRow } from '../common/index.js';
import { type Db, nowIso, statement } from './open.js';
import { confirmationSql, listSql, subscriberSql } from './sql/index.js';
import { upsertSubscribers } from './subscriber-upsert.js';

/** The subscriber store on a SQLite connection it shares with the other stores (and never closes). */
export class SqliteSubscriberStore implements SubscriberStore {
  constructor(private readonly db: Db) {}

  async createList(name: string, description = '', options: { public?: boolean } = {}): Promise<void> {
    checkNewListName(name);
    const result = statement(this.db, listSql.insert).run(name, description, options.public ? 1 : 0, nowIso());
    if (result.changes === 0) throw listExists(name);
  }

  async removeList(name: string): Promise<void> {
    checkRemovableList(name);
    checkNoEditions(name, (statement(this.db, listSql.editionCount).get(name) as { n: number }).n);
    if (statement(this.db, listSql.remove).run(name).changes === 0) throw noListToRemove(name);
  }

  async listLists(): Promise<List[]> {
    return (statement(this.db, listSql.withHeadCounts).all() as ListRow[]).map(toList);
  }

  async hasList(name: string): Promise<boolean> {
    return statement(this.db, listSql.idByName).get(name) !== undefined;
  }

  async findByEmail(email: string): Promise<Subscriber | undefined> {
    const row = statement(this.db, subscriberSql.byEmailKey).get(emailKey(email)) as SubscriberRow | undefined;
    return row && toSubscriber(row);
  }

  async findByEmails(emails: readonly string[]): Promise<Subscriber[]> {
    const keys = JSON.stringify(emails.map(emailKey));
    return (statement(this.db, subscriberSql.byEmailKeys).all(keys) as SubscriberRow[]).map(toSubscriber);
  }

  async findById(id: number): Promise<Subscriber | undefined> {
    const row = statement(this.db, subscriberSql.byId).get(id) as SubscriberRow | undefined;
    return row && toSubscriber(row);
  }

  async upsertMany(inputs: readonly SubscriberInput[], options: UpsertOptions = {}): Promise<UpsertOutcome[]> {
    return upsertSubscribers(this.db, inputs, options);
  }

  async unsubscribe(id: number, list?: string): Promise<void> {
    const now = nowIso();
    if (!list) {
      statement(this.db, subscriberSql.unsubscribeEverywhere).run(now, id);
    } else if (statement(this.db, listSql.leave).run(now, id, list).changes === 0) {
      throw notOnList(list);
    }
  }

  async setStatus(id: number, status: SubscriberStatus): Promise<void> {
    statement(this.db, subscriberSql.setStatus).run({ id, status, now: nowIso() });
  }

  async setPreferences(id: number, preferences: Preferences, lists?: readonly string[]): Promise<void> {
    const { topics, maxPapers, frequency, alerts } = preferences;
    this.db
      .transaction(() => {
        statement(this.db, subscriberSql.setPreferences).run(JSON.stringify(topics), maxPapers ?? null, frequency ?? 'daily', JSON.stringify(alerts ?? []), id);
        if (!lists) return;
        const now = nowIso();
        statement(this.db, listSql.leaveAllBut).run(now, id, JSON.stringify(lists));
        for (const list of lists) {
          const row = statement(this.db, listSql.idByName).get(list) as { id: number } | undefined;
          if (row) statement(this.db, listSql.join).run(row.id, id, now);
        }
      })
      .immediate();
  }

  async remove(id: number): Promise<void> {
    statement(this.db, subscriberSql.remove).run(id);
  }

  async takeConfirmationSlots(emails: readonly string[], now: Date, limits: ConfirmationLimits): Promise<boolean[]> {
    const { at, dayAgo, intervalAgo } = confirmationWindow(now, limits);
    return this.db
      .transaction(() => {
        statement(this.db, confirmationSql.forgetBefore).run(dayAgo);
        return emails.map((email) => {
          const key = emailKey(email);
          const sends = statement(this.db, confirmationSql.sendCounts).get(intervalAgo, key) as { today: number; recent: number };
          if (!withinAllowance(sends, limits)) return false;
          statement(this.db, confirmationSql.record).run(key, at);
          return true;
        });
      })
      .immediate();
  }

  async rehearse<T>(work: () => Promise<T>): Promise<T> {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      return await work();
    } finally {
      this.db.exec('ROLLBACK');
    }
  }

  async page(filter: SubscriberFilter, afterId: number, limit: number): Promise<Subscriber[]> {
    const { sql, params } = filtered(filter);
    return (statement(this.db, subscriberSql.page(sql)).all({ ...params, after: afterId, limit }) as SubscriberRow[]).map(toSubscriber);
  }

  async count(filter: SubscriberFilter): Promise<number> {
    const { sql, params } = filtered(filter);
    return (statement(this.db, subscriberSql.count(sql)).get(params) as { n: number }).n;
  }
}

/** A filter's SQL with named parameters (@filter0, @filter1, …) and their values. */
function filtered(filter: SubscriberFilter) {
  const params: Record<string, unknown> = {};
  const sql = filterSql(filter, (value) => {
    const name = `filter${Object.keys(params).length}`;
    params[name] = value;
    return `@${name}`;
  });
  return { sql, params };
}
