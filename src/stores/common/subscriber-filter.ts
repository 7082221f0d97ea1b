import type { SubscriberFilter } from '../../subscribers/index.js';

/** The status someone has on one list: a list-level unsubscribe stops mail there even when they are active elsewhere. */
const effectiveStatus = `CASE WHEN m.status = 'unsubscribed' AND s.status IN ('active', 'pending') THEN 'unsubscribed' ELSE s.status END`;

/** Who a filter picks, as SQL both dialects read alike: a join (or none) and conditions on `s`, the subscribers. */
export interface FilterSql {
  join: string;
  where: string[];
}

/**
 * The SQL of a filter. `param` takes each value in turn and returns its placeholder in the
 * backend's style (and keeps the value for the query).
 */
export function filterSql(filter: SubscriberFilter, param: (value: unknown) => string): FilterSql {
  const demo = filter.demo === undefined ? [] : [filter.demo ? 's.demo' : 'NOT s.demo'];
  if (!filter.list) return { join: '', where: [...demo, ...(filter.status ? [`s.status = ${param(filter.status)}`] : [])] };
  const join = `JOIN list_members m ON m.subscriber_id = s.id AND m.list_id = (SELECT id FROM lists WHERE name = ${param(filter.list)})`;
  return { join, where: [...demo, ...(filter.status ? [`${effectiveStatus} = ${param(filter.status)}`] : [])] };
}

/** ` WHERE …` for these conditions, or nothing when there are none. */
export const whereClause = (where: readonly string[]): string => (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '');
