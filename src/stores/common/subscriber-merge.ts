import {
  decideMerge,
  type Frequency,
  type MergeDecision,
  type SubscriberInput,
  type SubscriberStatus,
  statusTimes,
  type UpsertOptions,
} from '../../subscribers/index.js';
import { fromJson, type JsonColumn } from './json-columns.js';

/** What an upsert reads of someone already stored: the fields a merge may change. */
export interface MergeRow {
  id: number;
  name: string;
  status: SubscriberStatus;
  topics: JsonColumn<string[]>;
  frequency: Frequency;
  alerts: JsonColumn<string[]>;
}

/** Someone new, as both backends insert them (SQLite turns the lists into JSON text and `demo` into 0/1). */
export const newSubscriber = (input: SubscriberInput, key: string, now: string) => {
  const times = statusTimes(input.status, now);
  return {
    email: input.email,
    email_key: key,
    name: input.name ?? '',
    status: input.status,
    source: input.source,
    topics: input.topics ?? [],
    frequency: input.frequency ?? 'daily',
    alerts: input.alerts ?? [],
    confirmed_at: times.confirmedAt,
    unsubscribed_at: times.unsubscribedAt,
    demo: input.demo === true,
  };
};

/** The merge rules (subscribers/merge.ts) applied to a stored row and its memberships of the lists the input names. */
export const mergeInto = (
  input: SubscriberInput,
  row: MergeRow,
  memberships: ReadonlyMap<string, 'active' | 'unsubscribed'>,
  options: UpsertOptions,
): MergeDecision => decideMerge(input, { ...row, topics: fromJson(row.topics), alerts: fromJson(row.alerts), memberships }, options);

/** A merged record's new fields as both backends write them: lists as JSON, and the times its status brings. */
export const mergedFields = (id: number, update: NonNullable<MergeDecision['update']>, now: string) => {
  const times = statusTimes(update.status, now);
  return {
    id,
    name: update.name,
    status: update.status,
    topics: JSON.stringify(update.topics),
    frequency: update.frequency,
    alerts: JSON.stringify(update.alerts),
    confirmed_at: times.confirmedAt,
    unsubscribed_at: times.unsubscribedAt,
  };
};
