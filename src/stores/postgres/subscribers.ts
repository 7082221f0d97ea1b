import type pg from 'pg';
import { PaperboyError } from '../../errors.js';
import { count } from '../../words.js';
import { inTransaction, type PgPool, type PgQueryable } from './pool.js';
import {
  decideMerge,
  emailKey,
  listNamePattern,
  preferencesOf,
  statusTimes,
  type MergeDecision,
  type Frequency,
  defaultListName,
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

interface SubscriberRow {
  id: number;
  email: string;
  name: string;
  status: SubscriberStatus;
  source: Subscriber['source'];
  topics: string[];
  max_papers: number | null;
  frequency: string;
  alerts: string[];
  created_at: string;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
  last_sent_at: string | null;
  demo: boolean;
  lists: string[];
}

const columns = `s.id, s.email, s.name, s.status, s.source, s.topics, s.max_papers, s.frequency, s.alerts, s.created_at, s.confirmed_at,
  s.unsubscribed_at, s.last_sent_at, s.demo,
  ARRAY(SELECT l.name FROM list_members m JOIN lists l ON l.id = m.list_id
    WHERE m.subscriber_id = s.id AND m.status = 'active' ORDER BY l.name) AS lists`;

function toSubscriber(row: SubscriberRow): Subscriber {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    status: row.status,
    source: row.source,
    preferences: preferencesOf(row),
    lists: row.lists,
    createdAt: row.created_at,
    ...(row.confirmed_at ? { confirmedAt: row.confirmed_at } : {}),
    ...(row.unsubscribed_at ? { unsubscribedAt: row.unsubscribed_at } : {}),
    ...(row.last_sent_at ? { lastSentAt: row.last_sent_at } : {}),
    ...(row.demo ? { demo: true as const } : {}),
  };
}

/** The status someone has on one list: a list-level unsubscribe stops mail there even when they are active elsewhere. */
const effectiveStatus = `CASE WHEN m.status = 'unsubscribed' AND s.status IN ('active', 'pending') THEN 'unsubscribed' ELSE s.status END`;

/** Someone an input may merge into. */
interface ExistingRow {
  id: number;
  email_key: string;
  name: string;
  status: SubscriberStatus;
  topics: string[];
  frequency: Frequency;
  alerts: string[];
}

/** One input of a batch, with where its outcome goes. */
interface Pending {
  input: SubscriberInput;
  index: number;
  key: string;
}

/**
 * The subscriber store in PostgreSQL, for several machines on one list. Imports are set-based:
 * each batch is a handful of statements (unnest arrays), whatever its size, with the merge rules
 * shared with SQLite (merge.ts).
 */
export class PostgresSubscriberStore implements SubscriberStore {
  /** The pool, or during a rehearsal the one client whose transaction is rolled back. */
  private db: PgQueryable;

  constructor(private readonly pool: PgPool) {
    this.db = pool;
  }

  private async query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.db.query<T>(sql, params)).rows;
  }

  /** During a rehearsal, its steps one after another (they share one client and its savepoints). */
  private rehearsalSteps: Promise<unknown> = Promise.resolve();

  /** A transaction of its own, or a savepoint inside a rehearsal's. */
  private async transaction<T>(work: (client: PgQueryable) => Promise<T>): Promise<T> {
    if (this.db === this.pool) return inTransaction(this.pool, work);
    const db = this.db;
    const step = this.rehearsalSteps.then(async () => {
      await db.query('SAVEPOINT step');
      try {
        const result = await work(db);
        await db.query('RELEASE SAVEPOINT step');
        return result;
      } catch (error) {
        await db.query('ROLLBACK TO SAVEPOINT step');
        throw error;
      }
    });
    this.rehearsalSteps = step.catch(() => undefined);
    return step;
  }

  async createList(name: string, description = '', options: { public?: boolean } = {}): Promise<void> {
    if (!listNamePattern.test(name)) {
      throw new PaperboyError('INPUT', `"${name}" cannot name a list; use lower-case letters, digits, - and _ (up to 64), e.g. research-team.`);
    }
    const rows = await this.query('INSERT INTO lists (name, description, public) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING RETURNING id', [name, description, options.public ?? false]);
    if (rows.length === 0) throw new PaperboyError('INPUT', `A list named "${name}" already exists.`);
  }

  async removeList(name: string): Promise<void> {
    if (name === defaultListName) throw new PaperboyError('INPUT', 'The default list cannot be removed.');
    const [editions] = await this.query<{ n: number }>('SELECT count(*) AS n FROM editions WHERE list_id = (SELECT id FROM lists WHERE name = $1)', [name]);
    if (editions!.n > 0) {
      throw new PaperboyError('INPUT', `The list "${name}" has ${count(editions!.n, 'edition')} and their delivery records; it is kept so nothing is sent twice.`);
    }
    const removed = await this.transaction(async (db) => {
      const { rows } = await db.query<{ id: number }>('DELETE FROM lists WHERE name = $1 RETURNING id', [name]);
      if (rows[0]) await db.query('DELETE FROM list_members WHERE list_id = $1', [rows[0].id]); // no cascade: see the migration
      return rows;
    });
    if (removed.length === 0) throw new PaperboyError('INPUT', `There is no list named "${name}"; see paperboy lists list.`);
  }

  async listLists(): Promise<List[]> {
    const rows = await this.query<{ name: string; description: string; public: boolean; created_at: string; members: number; active: number }>(
      `SELECT l.name, l.description, l.public, l.created_at, count(m.subscriber_id) AS members,
          count(*) FILTER (WHERE m.status = 'active' AND s.status = 'active') AS active
        FROM lists l LEFT JOIN list_members m ON m.list_id = l.id LEFT JOIN subscribers s ON s.id = m.subscriber_id
        GROUP BY l.id ORDER BY l.name`,
    );
    return rows.map((row) => ({ name: row.name, description: row.description, public: row.public, createdAt: row.created_at, memberCount: row.members, activeCount: row.active }));
  }

  async hasList(name: string): Promise<boolean> {
    return (await this.query('SELECT 1 FROM lists WHERE name = $1', [name])).length > 0;
  }

  async findByEmail(email: string): Promise<Subscriber | undefined> {
    const [row] = await this.query<SubscriberRow>(`SELECT ${columns} FROM subscribers s WHERE s.email_key = $1`, [emailKey(email)]);
    return row && toSubscriber(row);
  }

  async findById(id: number): Promise<Subscriber | undefined> {
    const [row] = await this.query<SubscriberRow>(`SELECT ${columns} FROM subscribers s WHERE s.id = $1`, [id]);
    return row && toSubscriber(row);
  }

  async upsertMany(inputs: readonly SubscriberInput[], options: UpsertOptions = {}): Promise<UpsertOutcome[]> {
    if (inputs.length === 0) return [];
    // Two writers inserting the same new addresses in different orders (two imports, or an
    // import's batches in flight together) can deadlock; PostgreSQL then aborts one: do it again.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.upsertBatch(inputs, options);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (attempt >= 3 || (code !== '40P01' && code !== '40001')) throw error;
      }
    }
  }

  private upsertBatch(inputs: readonly SubscriberInput[], options: UpsertOptions): Promise<UpsertOutcome[]> {
    return this.transaction(async (db) => {
      const names = [...new Set(inputs.flatMap((input) => input.lists))];
      const outcomes: UpsertOutcome[] = new Array(inputs.length);
      // Rounds in which each address appears once: a file naming someone twice merges the second into the first.
      let pending: Pending[] = inputs.map((input, index) => ({ input, index, key: emailKey(input.email) }));
      let listIds: Map<string, number> | undefined;
      while (pending.length > 0) {
        const seen = new Set<string>();
        const round: Pending[] = [];
        const later: Pending[] = [];
        for (const item of pending) (seen.has(item.key) ? later : (seen.add(item.key), round)).push(item);
        // The first round learns the lists' ids in the same round trip as who already exists.
        const found = await this.lookup(db, round.map((item) => item.key), listIds ? [] : names);
        if (!listIds) {
          listIds = found.listIds;
          const missing = names.find((name) => !listIds!.has(name));
          if (missing) throw new PaperboyError('INPUT', `There is no list named "${missing}"; create it with: paperboy lists create ${missing}`);
        }
        later.unshift(...(await this.upsertRound(db, round, found.existing, listIds, options, outcomes)));
        pending = later;
      }
      return outcomes;
    });
  }

  /** Who of `keys` exists already (locked until the transaction ends), and the ids of the lists named. */
  private async lookup(db: PgQueryable, keys: string[], lists: string[]): Promise<{ existing: ExistingRow[]; listIds: Map<string, number> }> {
    const { rows } = await db.query<{ existing: ExistingRow[] | null; lists: Record<string, number> | null }>(
      `SELECT (SELECT json_agg(s) FROM (SELECT id, email_key, name, status, topics, frequency, alerts FROM subscribers WHERE email_key = ANY($1) FOR UPDATE) s) AS existing,
          (SELECT json_object_agg(name, id) FROM lists WHERE name = ANY($2)) AS lists`,
      [keys, lists],
    );
    return { existing: rows[0]?.existing ?? [], listIds: new Map(Object.entries(rows[0]?.lists ?? {})) };
  }

  /** One round of distinct addresses; returns those another process inserted meanwhile (to merge next round). */
  private async upsertRound(db: PgQueryable, round: Pending[], existing: ExistingRow[], listIds: Map<string, number>, options: UpsertOptions, outcomes: UpsertOutcome[]): Promise<Pending[]> {
    const now = new Date().toISOString();
    const byKey = new Map(existing.map((row) => [row.email_key, row]));
    const joins: { listId: number; subscriberId: number }[] = [];

    const fresh = round.filter((item) => !byKey.has(item.key));
    let raced: Pending[] = [];
    if (fresh.length > 0) {
      const times = fresh.map((item) => statusTimes(item.input.status, now));
      // New people and their lists in one statement, the batch as one JSON document: one round trip
      // whatever its size, and JSON.stringify costs the sender far less than a dozen text arrays.
      const rows = fresh.map((item, index) => ({
        email: item.input.email, email_key: item.key, name: item.input.name ?? '', status: item.input.status, source: item.input.source,
        topics: item.input.topics ?? [], frequency: item.input.frequency ?? 'daily', alerts: item.input.alerts ?? [], confirmed_at: times[index]!.confirmedAt, unsubscribed_at: times[index]!.unsubscribedAt,
        demo: item.input.demo === true, lists: item.input.lists.map((list) => listIds.get(list)!),
      }));
      const inserted = await db.query<{ id: number; email_key: string }>(
        `WITH input AS (
            SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(email text, email_key text, name text, status text, source text, topics jsonb, frequency text, alerts jsonb,
              confirmed_at timestamptz, unsubscribed_at timestamptz, demo boolean, lists bigint[])
          ), added AS (
            INSERT INTO subscribers (email, email_key, name, status, source, topics, frequency, alerts, created_at, confirmed_at, unsubscribed_at, demo)
            SELECT email, email_key, name, status, source, topics, frequency, alerts, $2, confirmed_at, unsubscribed_at, demo FROM input
            ON CONFLICT (email_key) DO NOTHING RETURNING id, email_key
          ), joined AS (
            INSERT INTO list_members (list_id, subscriber_id, status, added_at)
            SELECT list_id, added.id, 'active', $2 FROM added JOIN input USING (email_key), unnest(input.lists) AS list_id
          )
          SELECT id, email_key FROM added`,
        [JSON.stringify(rows), now],
      );
      const added = new Set(inserted.rows.map((row) => row.email_key));
      raced = fresh.filter((item) => !added.has(item.key));
      for (const item of fresh) if (added.has(item.key)) outcomes[item.index] = 'added';
    }

    const known = round.filter((item) => byKey.has(item.key));
    if (known.length > 0) {
      const memberships = await db.query<{ subscriber_id: number; name: string; status: 'active' | 'unsubscribed' }>(
        'SELECT m.subscriber_id, l.name, m.status FROM list_members m JOIN lists l ON l.id = m.list_id WHERE m.subscriber_id = ANY($1)',
        [known.map((item) => byKey.get(item.key)!.id)],
      );
      const membershipsOf = new Map<number, Map<string, 'active' | 'unsubscribed'>>();
      for (const row of memberships.rows) {
        if (!membershipsOf.has(row.subscriber_id)) membershipsOf.set(row.subscriber_id, new Map());
        membershipsOf.get(row.subscriber_id)!.set(row.name, row.status);
      }
      const updates: ({ id: number } & NonNullable<MergeDecision['update']>)[] = [];
      for (const item of known) {
        const record = byKey.get(item.key)!;
        const decision = decideMerge(item.input, { ...record, memberships: membershipsOf.get(record.id) ?? new Map() }, options);
        outcomes[item.index] = decision.outcome;
        if (decision.update) updates.push({ id: record.id, ...decision.update });
        for (const list of decision.join) joins.push({ listId: listIds.get(list)!, subscriberId: record.id });
      }
      if (updates.length > 0) {
        const times = updates.map((update) => statusTimes(update.status, now));
        await db.query(
          `UPDATE subscribers s SET name = u.name, status = u.status, topics = u.topics, frequency = u.frequency, alerts = u.alerts,
              confirmed_at = coalesce(s.confirmed_at, u.confirmed_at), unsubscribed_at = u.unsubscribed_at
            FROM unnest($1::bigint[], $2::text[], $3::text[], $4::jsonb[], $5::timestamptz[], $6::timestamptz[], $7::text[], $8::jsonb[])
              AS u(id, name, status, topics, confirmed_at, unsubscribed_at, frequency, alerts)
            WHERE s.id = u.id`,
          [
            updates.map((update) => update.id), updates.map((update) => update.name), updates.map((update) => update.status),
            updates.map((update) => JSON.stringify(update.topics)), times.map((time) => time.confirmedAt), times.map((time) => time.unsubscribedAt),
            updates.map((update) => update.frequency), updates.map((update) => JSON.stringify(update.alerts)),
          ],
        );
      }
    }
    if (joins.length > 0) {
      await db.query(
        `INSERT INTO list_members (list_id, subscriber_id, status, added_at)
          SELECT list_id, subscriber_id, 'active', $3 FROM unnest($1::bigint[], $2::bigint[]) AS j(list_id, subscriber_id)
          ON CONFLICT (list_id, subscriber_id) DO UPDATE SET status = 'active', unsubscribed_at = NULL`,
        [joins.map((join) => join.listId), joins.map((join) => join.subscriberId), now],
      );
    }
    return raced;
  }

  async unsubscribe(id: number, list?: string): Promise<void> {
    const now = new Date().toISOString();
    if (list) {
      const rows = await this.query(
        `UPDATE list_members SET status = 'unsubscribed', unsubscribed_at = $1 WHERE subscriber_id = $2
          AND list_id = (SELECT id FROM lists WHERE name = $3) RETURNING list_id`,
        [now, id, list],
      );
      if (rows.length === 0) throw new PaperboyError('INPUT', `That subscriber is not on the list "${list}".`);
      return;
    }
    await this.query(
      `UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = coalesce(unsubscribed_at, $1)
        WHERE id = $2 AND status IN ('active', 'pending')`,
      [now, id],
    );
  }

  async setStatus(id: number, status: SubscriberStatus): Promise<void> {
    await this.query(
      `UPDATE subscribers SET status = $2,
          confirmed_at = CASE WHEN $2 = 'active' THEN coalesce(confirmed_at, $3) ELSE confirmed_at END,
          unsubscribed_at = CASE WHEN $2 IN ('unsubscribed', 'bounced', 'complained') THEN $3 ELSE NULL END
        WHERE id = $1`,
      [id, status, new Date().toISOString()],
    );
  }

  async setPreferences(id: number, preferences: Preferences, lists?: readonly string[]): Promise<void> {
    await this.transaction(async (db) => {
      await db.query('UPDATE subscribers SET topics = $2, max_papers = $3, frequency = $4, alerts = $5 WHERE id = $1', [
        id, JSON.stringify(preferences.topics), preferences.maxPapers ?? null, preferences.frequency ?? 'daily', JSON.stringify(preferences.alerts ?? []),
      ]);
      if (!lists) return;
      const now = new Date().toISOString();
      await db.query(
        `UPDATE list_members SET status = 'unsubscribed', unsubscribed_at = $3 WHERE subscriber_id = $1 AND status = 'active'
          AND list_id NOT IN (SELECT id FROM lists WHERE name = ANY($2))`,
        [id, lists, now],
      );
      await db.query(
        `INSERT INTO list_members (list_id, subscriber_id, status, added_at)
          SELECT id, $1, 'active', $3 FROM lists WHERE name = ANY($2)
          ON CONFLICT (list_id, subscriber_id) DO UPDATE SET status = 'active', unsubscribed_at = NULL`,
        [id, lists, now],
      );
    });
  }

  async remove(id: number): Promise<void> {
    await this.transaction(async (db) => {
      await db.query('DELETE FROM list_members WHERE subscriber_id = $1', [id]); // no cascade: see the migration
      await db.query('DELETE FROM subscribers WHERE id = $1', [id]);
    });
  }

  async takeConfirmationSlot(email: string, now: Date, limits: ConfirmationLimits): Promise<boolean> {
    const key = emailKey(email);
    return this.transaction(async (db) => {
      // One address at a time, whichever server the request reached.
      await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
      await db.query('DELETE FROM confirmation_sends WHERE sent_at < $1', [new Date(now.getTime() - 86_400_000).toISOString()]);
      const { rows } = await db.query<{ today: number; recent: number }>(
        'SELECT count(*) AS today, count(*) FILTER (WHERE sent_at > $2) AS recent FROM confirmation_sends WHERE email_key = $1',
        [key, new Date(now.getTime() - limits.intervalMinutes * 60_000).toISOString()],
      );
      const { today, recent } = rows[0]!;
      if (recent > 0 || today >= limits.perDay) return false;
      await db.query('INSERT INTO confirmation_sends (email_key, sent_at) VALUES ($1, $2)', [key, now.toISOString()]);
      return true;
    });
  }

  async rehearse<T>(work: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    await client.query('BEGIN');
    this.db = client;
    try {
      return await work();
    } finally {
      this.db = this.pool;
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  }

  /** SQL pieces for a filter, with its parameters numbered from `first`. */
  private filterSql(filter: SubscriberFilter, first: number): { join: string; where: string[]; params: unknown[] } {
    const params: unknown[] = [];
    const next = (value: unknown) => `$${first + params.push(value) - 1}`;
    const demo = filter.demo === undefined ? [] : [`s.demo = ${filter.demo}`];
    if (!filter.list) return { join: '', where: [...demo, ...(filter.status ? [`s.status = ${next(filter.status)}`] : [])], params };
    const join = `JOIN list_members m ON m.subscriber_id = s.id AND m.list_id = (SELECT id FROM lists WHERE name = ${next(filter.list)})`;
    return { join, where: [...demo, ...(filter.status ? [`${effectiveStatus} = ${next(filter.status)}`] : [])], params };
  }

  async page(filter: SubscriberFilter, afterId: number, limit: number): Promise<Subscriber[]> {
    const { join, where, params } = this.filterSql(filter, 3);
    const rows = await this.query<SubscriberRow>(
      `SELECT ${columns} FROM subscribers s ${join} WHERE ${['s.id > $1', ...where].join(' AND ')} ORDER BY s.id LIMIT $2`,
      [afterId, limit, ...params],
    );
    return rows.map(toSubscriber);
  }

  async count(filter: SubscriberFilter): Promise<number> {
    const { join, where, params } = this.filterSql(filter, 1);
    const [row] = await this.query<{ n: number }>(`SELECT count(*) AS n FROM subscribers s ${join}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}`, params);
    return row!.n;
  }

  /** The pool belongs to whoever opened the stores (openStores); it closes it. */
  close(): void {}
}
