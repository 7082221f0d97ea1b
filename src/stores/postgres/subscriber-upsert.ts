import { emailKey, type SubscriberInput, type UpsertOptions, type UpsertOutcome } from '../../subscribers/index.js';
import { type MergeRow, mergedFields, mergeInto, newSubscriber, noListToUse } from '../common/index.js';
import type { PgQueryable } from './pool.js';
import type { RehearsableSession } from './session.js';
import { upsertSql } from './sql/index.js';

/** One input of a batch, with where its outcome goes. */
interface Pending {
  input: SubscriberInput;
  index: number;
  key: string;
}

/** Someone an input may merge into. */
type ExistingRow = MergeRow & { email_key: string };

/** What one round of an upsert works with (see upsertRound). */
interface Round {
  db: PgQueryable;
  listIds: ReadonlyMap<string, number>;
  options: UpsertOptions;
  outcomes: UpsertOutcome[];
  now: string;
}

/**
 * Inserts or merges each input in one transaction, the outcomes in order. Set-based: each batch
 * is a handful of statements (unnest arrays, a JSON document) whatever its size, with the merge
 * rules shared with SQLite (subscribers/merge.ts).
 */
export async function upsertSubscribers(session: RehearsableSession, inputs: readonly SubscriberInput[], options: UpsertOptions): Promise<UpsertOutcome[]> {
  if (inputs.length === 0) return [];
  // Two writers inserting the same new addresses in different orders (two imports, or an
  // import's batches in flight together) can deadlock; PostgreSQL then aborts one: do it again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await session.transaction((db) => upsertBatch(db, inputs, options));
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= 3 || (code !== '40P01' && code !== '40001')) throw error;
    }
  }
}

async function upsertBatch(db: PgQueryable, inputs: readonly SubscriberInput[], options: UpsertOptions): Promise<UpsertOutcome[]> {
  const names = [...new Set(inputs.flatMap((input) => input.lists))];
  const outcomes: UpsertOutcome[] = new Array(inputs.length);
  // Rounds in which each address appears once: a file naming someone twice merges the second into the first.
  let pending: Pending[] = inputs.map((input, index) => ({ input, index, key: emailKey(input.email) }));
  let listIds: Map<string, number> | undefined;
  while (pending.length > 0) {
    const seen = new Set<string>();
    const round: Pending[] = [];
    const later: Pending[] = [];
    for (const item of pending) {
      if (seen.has(item.key)) later.push(item);
      else {
        seen.add(item.key);
        round.push(item);
      }
    }
    // The first round learns the lists' ids in the same round trip as who already exists.
    const found = await lookup(
      db,
      round.map((item) => item.key),
      listIds ? [] : names,
    );
    if (!listIds) {
      listIds = found.listIds;
      const missing = names.find((name) => !listIds!.has(name));
      if (missing) throw noListToUse(missing);
    }
    later.unshift(...(await upsertRound({ db, listIds, options, outcomes, now: new Date().toISOString() }, round, found.existing)));
    pending = later;
  }
  return outcomes;
}

/** Who of `keys` exists already (locked until the transaction ends), and the ids of the lists named. */
async function lookup(db: PgQueryable, keys: string[], lists: string[]): Promise<{ existing: ExistingRow[]; listIds: Map<string, number> }> {
  const { rows } = await db.query<{ existing: ExistingRow[] | null; lists: Record<string, number> | null }>(upsertSql.lookup, [keys, lists]);
  return { existing: rows[0]?.existing ?? [], listIds: new Map(Object.entries(rows[0]?.lists ?? {})) };
}

/** One round of distinct addresses; returns those another process inserted meanwhile (to merge next round). */
async function upsertRound(round: Round, items: Pending[], existing: ExistingRow[]): Promise<Pending[]> {
  const byKey = new Map(existing.map((row) => [row.email_key, row]));
  const raced = await insertFresh(
    round,
    items.filter((item) => !byKey.has(item.key)),
  );
  const joins = await mergeKnown(
    round,
    items.filter((item) => byKey.has(item.key)).map((item) => ({ item, record: byKey.get(item.key)! })),
  );
  if (joins.length > 0) {
    await round.db.query(upsertSql.joinLists, [joins.map((join) => join.listId), joins.map((join) => join.subscriberId), round.now]);
  }
  return raced;
}

/** Inserts those nobody has the address of, with their lists; returns those another process inserted first. */
async function insertFresh(round: Round, fresh: Pending[]): Promise<Pending[]> {
  if (fresh.length === 0) return [];
  // The batch as one JSON document: one round trip whatever its size, and JSON.stringify costs
  // the sender far less than a dozen text arrays.
  const rows = fresh.map((item) => ({ ...newSubscriber(item.input, item.key, round.now), lists: item.input.lists.map((list) => round.listIds.get(list)!) }));
  const inserted = await round.db.query<{ id: number; email_key: string }>(upsertSql.insert, [JSON.stringify(rows), round.now]);
  const added = new Set(inserted.rows.map((row) => row.email_key));
  for (const item of fresh) if (added.has(item.key)) round.outcomes[item.index] = 'added';
  return fresh.filter((item) => !added.has(item.key));
}

/** Merges each input into the record of its address; returns the lists they join. */
async function mergeKnown(round: Round, known: { item: Pending; record: ExistingRow }[]): Promise<{ listId: number; subscriberId: number }[]> {
  if (known.length === 0) return [];
  const memberships = await round.db.query<{ subscriber_id: number; name: string; status: 'active' | 'unsubscribed' }>(upsertSql.membershipsOf, [
    known.map(({ record }) => record.id),
  ]);
  const membershipsOf = new Map<number, Map<string, 'active' | 'unsubscribed'>>();
  for (const row of memberships.rows) {
    if (!membershipsOf.has(row.subscriber_id)) membershipsOf.set(row.subscriber_id, new Map());
    membershipsOf.get(row.subscriber_id)!.set(row.name, row.status);
  }
  const updates: ReturnType<typeof mergedFields>[] = [];
  const joins: { listId: number; subscriberId: number }[] = [];
  for (const { item, record } of known) {
    const decision = mergeInto(item.input, record, membershipsOf.get(record.id) ?? new Map(), round.options);
    round.outcomes[item.index] = decision.outcome;
    if (decision.update) updates.push(mergedFields(record.id, decision.update, round.now));
    for (const list of decision.join) joins.push({ listId: round.listIds.get(list)!, subscriberId: record.id });
  }
  if (updates.length > 0) {
    const column = <K extends keyof (typeof updates)[number]>(key: K) => updates.map((update) => update[key]);
    await round.db.query(upsertSql.updateMerged, [
      column('id'),
      column('name'),
      column('status'),
      column('topics'),
      column('confirmed_at'),
      column('unsubscribed_at'),
      column('frequency'),
      column('alerts'),
    ]);
  }
  return joins;
}
