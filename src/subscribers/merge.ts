import { type Frequency, type SubscriberInput, type SubscriberStatus, suppressedStatuses, type UpsertOptions, type UpsertOutcome } from './types.js';

/** What the store holds about someone, as far as merging an input needs. */
export interface ExistingRecord {
  status: SubscriberStatus;
  name: string;
  topics: readonly string[];
  frequency: Frequency;
  alerts: readonly string[];
  /** Their membership status on each list the input names (absent: not a member). */
  memberships: ReadonlyMap<string, 'active' | 'unsubscribed'>;
}

export interface MergeDecision {
  outcome: UpsertOutcome;
  /** The record's new fields when it changes. */
  update?: { status: SubscriberStatus; name: string; topics: string[]; frequency: Frequency; alerts: string[] };
  /** Lists to join (or rejoin) now. */
  join: string[];
}

/**
 * The rules for merging one input into an existing subscriber, the same for every store:
 * - someone who unsubscribed, bounced or complained is never re-activated, nor changed at all, unless `resubscribe`;
 * - a suppression always applies; a confirmation upgrades pending to active;
 * - a name or topics given replace the stored ones; empty ones keep them;
 * - a frequency or alerts given replace the stored ones (an empty alert list clears them);
 * - a list the person left stays left unless they explicitly come back (`resubscribe`).
 */
export function decideMerge(input: SubscriberInput, existing: ExistingRecord, options: UpsertOptions): MergeDecision {
  let outcome: UpsertOutcome = 'unchanged';
  let status = existing.status;
  const wantsMail = input.status === 'active' || input.status === 'pending';
  if (suppressedStatuses.has(existing.status) && wantsMail) {
    if (options.resubscribe) {
      status = input.status;
      outcome = 'resubscribed';
    } else {
      // Left exactly as they were: a row or a command naming them again changes nothing of theirs.
      return { outcome: 'kept-suppressed', join: [] };
    }
  } else if (suppressedStatuses.has(input.status) || (existing.status === 'pending' && input.status === 'active')) {
    status = input.status;
  }
  const name = input.name || existing.name;
  const topics = input.topics && input.topics.length > 0 ? [...input.topics] : [...existing.topics];
  const frequency = input.frequency ?? existing.frequency;
  const alerts = input.alerts ? [...input.alerts] : [...existing.alerts];
  const same = (a: readonly string[], b: readonly string[]) => a.join('\u0000') === b.join('\u0000');
  const changed =
    status !== existing.status ||
    name !== existing.name ||
    !same(topics, existing.topics) ||
    frequency !== existing.frequency ||
    !same(alerts, existing.alerts);
  const join = input.lists.filter((list) => {
    const membership = existing.memberships.get(list);
    return !membership || (membership === 'unsubscribed' && options.resubscribe === true);
  });
  if (outcome === 'unchanged' && (changed || join.length > 0)) outcome = 'updated';
  return { outcome, join, ...(changed ? { update: { status, name, topics, frequency, alerts } } : {}) };
}

/** The timestamps a status brings with it. */
export const statusTimes = (status: SubscriberStatus, now: string) => ({
  confirmedAt: status === 'active' ? now : null,
  unsubscribedAt: suppressedStatuses.has(status) ? now : null,
});
