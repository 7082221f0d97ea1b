import type { Statement } from 'better-sqlite3';
import { PaperboyError } from '../../errors.js';
import {
  decideMerge,
  emailKey,
  listNamePattern,
  preferencesOf,
  statusTimes,
  type Frequency,
  defaultListName,
  suppressedStatuses,
  type ConfirmationLimits,
  type List,
  type Preferences,
  type Subscriber,
  type SubscriberFilter,
  type SubscriberInput,
  type SubscriberStatus,
  type SubscriberStore,
  type UpsertOptions,
  type UpsertOutcome,
} from '../../subscribers/index.js';
import { count } from '../../words.js';
import { nowIso, statement, type Db } from './open.js';

interface SubscriberRow {
  id: number;
  email: string;
  name: string;
  status: SubscriberStatus;
  source: Subscriber['source'];
  topics: string;
  max_papers: number | null;
  frequency: string;
  alerts: string;
  created_at: string;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
  last_sent_at: string | null;
  demo: number;
  lists: string | null;
}

const listSeparator = '\u001f';
const columns = `s.id, s.email, s.name, s.status, s.source, s.topics, s.max_papers, s.frequency, s.alerts, s.created_at, s.confirmed_at,
  s.unsubscribed_at, s.last_sent_at, s.demo,
  (SELECT group_concat(l.name, char(31)) FROM list_members m JOIN lists l ON l.id = m.list_id
    WHERE m.subscriber_id = s.id AND m.status = 'active') AS lists`;

function toSubscriber(row: SubscriberRow): Subscriber {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    status: row.status,
    source: row.source,
    preferences: preferencesOf({ ...row, topics: JSON.parse(row.topics) as string[], alerts: JSON.parse(row.alerts) as string[] }),
    lists: row.lists ? row.lists.split(listSeparator).sort() : [],
    createdAt: row.created_at,
    ...(row.confirmed_at ? { confirmedAt: row.confirmed_at } : {}),
    ...(row.unsubscribed_at ? { unsubscribedAt: row.unsubscribed_at } : {}),
    ...(row.last_sent_at ? { lastSentAt: row.last_sent_at } : {}),
    ...(row.demo ? { demo: true as const } : {}),
  };
}

/** The status someone has on one list: a list-level unsubscribe stops mail there even when they are active elsewhere. */
const effectiveStatus = `CASE WHEN m.status = 'unsubscribed' AND s.status IN ('active', 'pending') THEN 'unsubscribed' ELSE s.status END`;

export class SqliteSubscriberStore implements SubscriberStore {
  private readonly statements: Record<string, Statement>;

  constructor(private readonly db: Db) {
    this.statements = {
      byEmail: db.prepare(`SELECT ${columns} FROM subscribers s WHERE s.email_key = ?`),
      byId: db.prepare(`SELECT ${columns} FROM subscribers s WHERE s.id = ?`),
      core: db.prepare('SELECT id, name, status, topics, frequency, alerts FROM subscribers WHERE email_key = ?'),
      insert: db.prepare(`INSERT INTO subscribers (email, email_key, name, status, source, topics, frequency, alerts, created_at, confirmed_at, unsubscribed_at, demo)
        VALUES (@email, @key, @name, @status, @source, @topics, @frequency, @alerts, @now, @confirmedAt, @unsubscribedAt, @demo)`),
      update: db.prepare(`UPDATE subscribers SET name = @name, status = @status, topics = @topics, frequency = @frequency, alerts = @alerts,
        confirmed_at = coalesce(confirmed_at, @confirmedAt), unsubscribed_at = @unsubscribedAt WHERE id = @id`),
      listId: db.prepare('SELECT id FROM lists WHERE name = ?'),
      membership: db.prepare('SELECT status FROM list_members WHERE list_id = ? AND subscriber_id = ?'),
      addMember: db.prepare(`INSERT INTO list_members (list_id, subscriber_id, status, added_at) VALUES (?, ?, 'active', ?)
        ON CONFLICT (list_id, subscriber_id) DO UPDATE SET status = 'active', unsubscribed_at = NULL`),
    };
  }

  async createList(name: string, description = '', options: { public?: boolean } = {}): Promise<void> {
    if (!listNamePattern.test(name)) {
      throw new PaperboyError('INPUT', `"${name}" cannot name a list; use lower-case letters, digits, - and _ (up to 64), e.g. research-team.`);
    }
    const result = this.db
      .prepare('INSERT INTO lists (name, description, public, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING')
      .run(name, description, options.public ? 1 : 0, nowIso());
    if (result.changes === 0) throw new PaperboyError('INPUT', `A list named "${name}" already exists.`);
  }

  async removeList(name: string): Promise<void> {
    if (name === defaultListName) throw new PaperboyError('INPUT', 'The default list cannot be removed.');
    const editions = this.db
      .prepare('SELECT count(*) AS n FROM editions WHERE list_id = (SELECT id FROM lists WHERE name = ?)')
      .get(name) as { n: number };
    if (editions.n > 0) {
      throw new PaperboyError('INPUT', `The list "${name}" has ${count(editions.n, 'edition')} and their delivery records; it is kept so nothing is sent twice.`);
    }
    const result = this.db.prepare('DELETE FROM lists WHERE name = ?').run(name);
    if (result.changes === 0) throw new PaperboyError('INPUT', `There is no list named "${name}"; see paperboy lists list.`);
  }

  async listLists(): Promise<List[]> {
    const rows = this.db
      .prepare(`SELECT l.name, l.description, l.public, l.created_at,
          count(m.subscriber_id) AS members,
          count(CASE WHEN m.status = 'active' AND s.status = 'active' THEN 1 END) AS active
        FROM lists l LEFT JOIN list_members m ON m.list_id = l.id LEFT JOIN subscribers s ON s.id = m.subscriber_id
        GROUP BY l.id ORDER BY l.name`)
      .all() as { name: string; description: string; public: number; created_at: string; members: number; active: number }[];
    return rows.map((row) => ({
      name: row.name, description: row.description, public: row.public === 1, createdAt: row.created_at, memberCount: row.members, activeCount: row.active,
    }));
  }

  async hasList(name: string): Promise<boolean> {
    return this.statements.listId!.get(name) !== undefined;
  }

  async findByEmail(email: string): Promise<Subscriber | undefined> {
    const row = this.statements.byEmail!.get(emailKey(email)) as SubscriberRow | undefined;
    return row && toSubscriber(row);
  }

  async findById(id: number): Promise<Subscriber | undefined> {
    const row = this.statements.byId!.get(id) as SubscriberRow | undefined;
    return row && toSubscriber(row);
  }

  async upsertMany(inputs: readonly SubscriberInput[], options: UpsertOptions = {}): Promise<UpsertOutcome[]> {
    const listIds = new Map<string, number>();
    const listIdOf = (name: string): number => {
      let id = listIds.get(name);
      if (id === undefined) {
        const row = this.statements.listId!.get(name) as { id: number } | undefined;
        if (!row) throw new PaperboyError('INPUT', `There is no list named "${name}"; create it with: paperboy lists create ${name}`);
        id = row.id;
        listIds.set(name, id);
      }
      return id;
    };
    return this.db
      .transaction(() => inputs.map((input) => this.upsertOne(input, input.lists.map(listIdOf), options)))
      .immediate();
  }

  private upsertOne(input: SubscriberInput, listIds: number[], options: UpsertOptions): UpsertOutcome {
    const now = nowIso();
    const topics = JSON.stringify(input.topics ?? []);
    const key = emailKey(input.email);
    const existing = this.statements.core!.get(key) as { id: number; name: string; status: SubscriberStatus; topics: string; frequency: Frequency; alerts: string } | undefined;
    if (!existing) {
      const { lastInsertRowid } = this.statements.insert!.run({
        email: input.email,
        key,
        name: input.name ?? '',
        status: input.status,
        source: input.source,
        topics,
        frequency: input.frequency ?? 'daily',
        alerts: JSON.stringify(input.alerts ?? []),
        now,
        ...statusTimes(input.status, now),
        demo: input.demo ? 1 : 0,
      });
      for (const listId of listIds) this.statements.addMember!.run(listId, lastInsertRowid, now);
      return 'added';
    }

    const memberships = new Map<string, 'active' | 'unsubscribed'>();
    input.lists.forEach((list, index) => {
      const membership = this.statements.membership!.get(listIds[index], existing.id) as { status: 'active' | 'unsubscribed' } | undefined;
      if (membership) memberships.set(list, membership.status);
    });
    const stored = { ...existing, topics: JSON.parse(existing.topics) as string[], alerts: JSON.parse(existing.alerts) as string[] };
    const decision = decideMerge(input, { ...stored, memberships }, options);
    if (decision.update) {
      const { status, name, topics: newTopics, frequency, alerts } = decision.update;
      this.statements.update!.run({
        id: existing.id, name, status, topics: JSON.stringify(newTopics), frequency, alerts: JSON.stringify(alerts), ...statusTimes(status, now),
      });
    }
    for (const list of decision.join) this.statements.addMember!.run(listIds[input.lists.indexOf(list)], existing.id, now);
    return decision.outcome;
  }

  async unsubscribe(id: number, list?: string): Promise<void> {
    const now = nowIso();
    if (list) {
      const result = statement(this.db, `UPDATE list_members SET status = 'unsubscribed', unsubscribed_at = ? WHERE subscriber_id = ?
          AND list_id = (SELECT id FROM lists WHERE name = ?)`)
        .run(now, id, list);
      if (result.changes === 0) throw new PaperboyError('INPUT', `That subscriber is not on the list "${list}".`);
      return;
    }
    statement(this.db, `UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = coalesce(unsubscribed_at, ?)
        WHERE id = ? AND status IN ('active', 'pending')`)
      .run(now, id);
  }

  async setStatus(id: number, status: SubscriberStatus): Promise<void> {
    const now = nowIso();
    statement(this.db, `UPDATE subscribers SET status = @status,
          confirmed_at = CASE WHEN @status = 'active' THEN coalesce(confirmed_at, @now) ELSE confirmed_at END,
          unsubscribed_at = CASE WHEN @status IN ('unsubscribed', 'bounced', 'complained') THEN @now ELSE NULL END
        WHERE id = @id`)
      .run({ id, status, now });
  }

  async setPreferences(id: number, preferences: Preferences, lists?: readonly string[]): Promise<void> {
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE subscribers SET topics = ?, max_papers = ?, frequency = ?, alerts = ? WHERE id = ?')
        .run(JSON.stringify(preferences.topics), preferences.maxPapers ?? null, preferences.frequency ?? 'daily', JSON.stringify(preferences.alerts ?? []), id);
      if (!lists) return;
      const now = nowIso();
      this.db
        .prepare(`UPDATE list_members SET status = 'unsubscribed', unsubscribed_at = ? WHERE subscriber_id = ? AND status = 'active'
          AND list_id NOT IN (SELECT id FROM lists WHERE name IN (SELECT value FROM json_each(?)))`)
        .run(now, id, JSON.stringify(lists));
      for (const list of lists) {
        const row = this.statements.listId!.get(list) as { id: number } | undefined;
        if (row) this.statements.addMember!.run(row.id, id, now);
      }
    }).immediate();
  }

  async remove(id: number): Promise<void> {
    this.db.prepare('DELETE FROM subscribers WHERE id = ?').run(id);
  }

  async takeConfirmationSlot(email: string, now: Date, limits: ConfirmationLimits): Promise<boolean> {
    const key = emailKey(email);
    const at = now.toISOString();
    const dayAgo = new Date(now.getTime() - 86_400_000).toISOString();
    const intervalAgo = new Date(now.getTime() - limits.intervalMinutes * 60_000).toISOString();
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM confirmation_sends WHERE sent_at < ?').run(dayAgo);
      const { today, recent } = this.db
        .prepare('SELECT count(*) AS today, count(CASE WHEN sent_at > ? THEN 1 END) AS recent FROM confirmation_sends WHERE email_key = ?')
        .get(intervalAgo, key) as { today: number; recent: number };
      if (recent > 0 || today >= limits.perDay) return false;
      this.db.prepare('INSERT INTO confirmation_sends (email_key, sent_at) VALUES (?, ?)').run(key, at);
      return true;
    }).immediate();
  }

  async rehearse<T>(work: () => Promise<T>): Promise<T> {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      return await work();
    } finally {
      this.db.exec('ROLLBACK');
    }
  }

  /** SQL pieces for a filter; parameters are returned in the order their placeholders appear. */
  private filterSql(filter: SubscriberFilter): { join: string; joinParams: unknown[]; where: string[]; whereParams: unknown[] } {
    const where: string[] = [];
    const whereParams: unknown[] = [];
    if (filter.demo !== undefined) where.push(`s.demo = ${filter.demo ? 1 : 0}`);
    if (!filter.list) {
      if (filter.status) {
        where.push('s.status = ?');
        whereParams.push(filter.status);
      }
      return { join: '', joinParams: [], where, whereParams };
    }
    if (filter.status) {
      where.push(`${effectiveStatus} = ?`);
      whereParams.push(filter.status);
    }
    return {
      join: 'JOIN list_members m ON m.subscriber_id = s.id AND m.list_id = (SELECT id FROM lists WHERE name = ?)',
      joinParams: [filter.list],
      where,
      whereParams,
    };
  }

  async page(filter: SubscriberFilter, afterId: number, limit: number): Promise<Subscriber[]> {
    const { join, joinParams, where, whereParams } = this.filterSql(filter);
    const rows = this.db
      .prepare(`SELECT ${columns} FROM subscribers s ${join} WHERE ${['s.id > ?', ...where].join(' AND ')} ORDER BY s.id LIMIT ?`)
      .all(...joinParams, afterId, ...whereParams, limit) as SubscriberRow[];
    return rows.map(toSubscriber);
  }

  async count(filter: SubscriberFilter): Promise<number> {
    const { join, joinParams, where, whereParams } = this.filterSql(filter);
    const row = this.db
      .prepare(`SELECT count(*) AS n FROM subscribers s ${join}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}`)
      .get(...joinParams, ...whereParams) as { n: number };
    return row.n;
  }

  close(): void {
    this.db.close();
  }
}
