import { emailKey, type SubscriberInput, type UpsertOptions, type UpsertOutcome } from '../../subscribers/index.js';
import { type MergeRow, mergedFields, mergeInto, newSubscriber, noListToUse } from '../common/index.js';
import { type Db, nowIso, statement } from './open.js';
import { listSql, subscriberSql } from './sql/index.js';

/** Inserts or merges each input, in one transaction; the outcomes in order. */
export function upsertSubscribers(db: Db, inputs: readonly SubscriberInput[], options: UpsertOptions): UpsertOutcome[] {
  const listIds = new Map<string, number>();
  const listIdOf = (name: string): number => {
    let id = listIds.get(name);
    if (id === undefined) {
      const row = statement(db, listSql.idByName).get(name) as { id: number } | undefined;
      if (!row) throw noListToUse(name);
      id = row.id;
      listIds.set(name, id);
    }
    return id;
  };
  return db
    .transaction(() => {
      const added = new Map<string, number>();
      const outcomes = inputs.map((input) => upsertOne(db, input, input.lists.map(listIdOf), options, added));
      countAdded(db, added);
      return outcomes;
    })
    .immediate();
}

/**
 * The readers a batch added, into the readers' daily counts (reader_status_days), once per day and
 * status: SQLite has no statement triggers, and a row trigger on every insert cost an import a
 * quarter more CPU (each insert then kept a statement journal). Status changes and removals are
 * counted by the triggers (reader-history.ts); this is the store's only insert of readers.
 */
function countAdded(db: Db, added: ReadonlyMap<string, number>): void {
  for (const [key, count] of added) {
    const [day, status] = key.split(' ');
    statement(db, subscriberSql.countAdded).run(day, status, count);
  }
}

/** One input: added (and tallied in `added` by day and status), or merged into who has its address (the rules in subscribers/merge.ts). */
function upsertOne(db: Db, input: SubscriberInput, listIds: number[], options: UpsertOptions, added: Map<string, number>): UpsertOutcome {
  const now = nowIso();
  const key = emailKey(input.email);
  const join = statement(db, listSql.join);
  const existing = statement(db, subscriberSql.mergeRowByEmailKey).get(key) as MergeRow | undefined;
  if (!existing) {
    const fresh = newSubscriber(input, key, now);
    const values = { ...fresh, topics: JSON.stringify(fresh.topics), alerts: JSON.stringify(fresh.alerts), demo: fresh.demo ? 1 : 0, now };
    const { lastInsertRowid } = statement(db, subscriberSql.insert).run(values);
    for (const listId of listIds) join.run(listId, lastInsertRowid, now);
    const dayAndStatus = `${now.slice(0, 10)} ${fresh.status}`;
    added.set(dayAndStatus, (added.get(dayAndStatus) ?? 0) + 1);
    return 'added';
  }

  const memberships = new Map<string, 'active' | 'unsubscribed'>();
  input.lists.forEach((list, index) => {
    const membership = statement(db, listSql.membershipStatus).get(listIds[index], existing.id) as { status: 'active' | 'unsubscribed' } | undefined;
    if (membership) memberships.set(list, membership.status);
  });
  const decision = mergeInto(input, existing, memberships, options);
  if (decision.update) statement(db, subscriberSql.updateMerged).run(mergedFields(existing.id, decision.update, now));
  for (const list of decision.join) join.run(listIds[input.lists.indexOf(list)], existing.id, now);
  return decision.outcome;
}
