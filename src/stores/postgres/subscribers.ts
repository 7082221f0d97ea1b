import { emailKey } from '../../subscribers/index.js';
import type { ConfirmationLimits, List, Preferences, Subscriber, SubscriberFilter, SubscriberInput, SubscriberStatus } from '../../subscribers/index.js';
import type { SubscriberStore, UpsertOptions, UpsertOutcome } from '../../subscribers/index.js';
import { checkNewListName, checkNoEditions, checkRemovableList, confirmationWindow, filterSql, listExists, noListToRemove } from '../common/index.js';
import { notOnList, toList, toSubscriber, withinAllowance } from '../common/index.js';
import type { ListRow, SubscriberRow } from '../common/index.js';
import type { PgPool } from './pool.js';
import { RehearsableSession } from './session.js';
import { confirmationSql, listSql, subscriberSql } from './sql/index.js';
import { upsertSubscribers } from './subscriber-upsert.js';

/** The subscriber store in PostgreSQL, for several machines on one list, on a pool it shares with the other stores (and never closes). */
export class PostgresSubscriberStore implements SubscriberStore {
  private readonly session: RehearsableSession;

  constructor(pool: PgPool) {
    this.session = new RehearsableSession(pool);
  }

  async createList(name: string, description = '', options: { public?: boolean } = {}): Promise<void> {
    checkNewListName(name);
    const rows = await this.session.query(listSql.insert, [name, description, options.public ?? false]);
    if (rows.length === 0) throw listExists(name);
  }

  async removeList(name: string): Promise<void> {
    checkRemovableList(name);
    const [editions] = await this.session.query<{ n: number }>(listSql.editionCount, [name]);
    checkNoEditions(name, editions!.n);
    const removed = await this.session.transaction(async (db) => {
      const { rows } = await db.query<{ id: number }>(listSql.remove, [name]);
      if (rows[0]) await db.query(listSql.removeMembers, [rows[0].id]);
      return rows;
    });
    if (removed.length === 0) throw noListToRemove(name);
  }

  async listLists(): Promise<List[]> {
    return (await this.session.query<ListRow>(listSql.withHeadCounts)).map(toList);
  }

  async hasList(name: string): Promise<boolean> {
    return (await this.session.query(listSql.exists, [name])).length > 0;
  }

  async findByEmail(email: string): Promise<Subscriber | undefined> {
    const [row] = await this.session.query<SubscriberRow>(subscriberSql.byEmailKey, [emailKey(email)]);
    return row && toSubscriber(row);
  }

  async findByEmails(emails: readonly string[]): Promise<Subscriber[]> {
    return (await this.session.query<SubscriberRow>(subscriberSql.byEmailKeys, [emails.map(emailKey)])).map(toSubscriber);
  }

  async findById(id: number): Promise<Subscriber | undefined> {
    const [row] = await this.session.query<SubscriberRow>(subscriberSql.byId, [id]);
    return row && toSubscriber(row);
  }

  async upsertMany(inputs: readonly SubscriberInput[], options: UpsertOptions = {}): Promise<UpsertOutcome[]> {
    return upsertSubscribers(this.session, inputs, options);
  }

  async unsubscribe(id: number, list?: string): Promise<void> {
    const now = new Date().toISOString();
    if (!list) {
      await this.session.query(subscriberSql.unsubscribeEverywhere, [now, id]);
    } else if ((await this.session.query(listSql.leave, [now, id, list])).length === 0) {
      throw notOnList(list);
    }
  }

  async setStatus(id: number, status: SubscriberStatus): Promise<void> {
    await this.session.query(subscriberSql.setStatus, [id, status, new Date().toISOString()]);
  }

  async setPreferences(id: number, preferences: Preferences, lists?: readonly string[]): Promise<void> {
    const { topics, maxPapers, frequency, alerts } = preferences;
    await this.session.transaction(async (db) => {
      await db.query(subscriberSql.setPreferences, [id, JSON.stringify(topics), maxPapers ?? null, frequency ?? 'daily', JSON.stringify(alerts ?? [])]);
      if (!lists) return;
      const now = new Date().toISOString();
      await db.query(listSql.leaveAllBut, [id, lists, now]);
      await db.query(listSql.joinAll, [id, lists, now]);
    });
  }

  async remove(id: number): Promise<void> {
    await this.session.transaction(async (db) => {
      await db.query(subscriberSql.removeMemberships, [id]);
      await db.query(subscriberSql.remove, [id]);
    });
  }

  async takeConfirmationSlots(emails: readonly string[], now: Date, limits: ConfirmationLimits): Promise<boolean[]> {
    const keys = emails.map(emailKey);
    const { at, dayAgo, intervalAgo } = confirmationWindow(now, limits);
    return this.session.transaction(async (db) => {
      await db.query(confirmationSql.lockAddresses, [keys]);
      await db.query(confirmationSql.forgetBefore, [dayAgo]);
      const { rows } = await db.query<{ email_key: string; today: number; recent: number }>(confirmationSql.sendCounts, [keys, intervalAgo]);
      const sends = new Map(rows.map(({ email_key, today, recent }) => [email_key, { today, recent }]));
      const taken = keys.map((key) => {
        const sent = sends.get(key) ?? { today: 0, recent: 0 };
        if (!withinAllowance(sent, limits)) return false;
        // As SQLite counts it: a send now is within the interval only when there is one.
        sends.set(key, { today: sent.today + 1, recent: sent.recent + (limits.intervalMinutes > 0 ? 1 : 0) });
        return true;
      });
      const recorded = keys.filter((_, index) => taken[index]);
      if (recorded.length > 0) await db.query(confirmationSql.record, [recorded, at]);
      return taken;
    });
  }

  async rehearse<T>(work: () => Promise<T>): Promise<T> {
    return this.session.rehearse(work);
  }

  async page(filter: SubscriberFilter, afterId: number, limit: number): Promise<Subscriber[]> {
    const { sql, params } = filtered(filter, 3);
    return (await this.session.query<SubscriberRow>(subscriberSql.page(sql), [afterId, limit, ...params])).map(toSubscriber);
  }

  async count(filter: SubscriberFilter): Promise<number> {
    const { sql, params } = filtered(filter, 1);
    const [row] = await this.session.query<{ n: number }>(subscriberSql.count(sql), params);
    return row!.n;
  }
}

/** A filter's SQL with its parameters numbered from `first`, and their values. */
function filtered(filter: SubscriberFilter, first: number) {
  const params: unknown[] = [];
  const sql = filterSql(filter, (value) => `$${first + params.push(value) - 1}`);
  return { sql, params };
}
