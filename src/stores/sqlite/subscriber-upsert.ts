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
  return db.transaction(() => inputs.map((input) => upsertOne(db, input, input.lists.map(listIdOf), options))).immediate();
}

/** One input: added, or merged into who has its address (the rules in subscribers/merge.ts). */
function upsertOne(db: Db, input: SubscriberInput, listIds: number[], options: UpsertOptions): UpsertOutcome {
  const now = nowIso();
  const key = emailKey(input.email);
  const join = statement(db, listSql.join);
  const existing = statement(db, subscriberSql.mergeRowByEmailKey).get(key) as MergeRow | undefined;
  if (!existing) {
    const fresh = newSubscriber(input, key, now);
    const values = { ...fresh, topics: JSON.stringify(fresh.topics), alerts: JSON.stringify(fresh.alerts), demo: fresh.demo ? 1 : 0, now };
    const { lastInsertRowid } = statement(db, subscriberSql.insert).run(values);
    for (const listId of listIds) join.run(listId, lastInsertRowid, now);
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
