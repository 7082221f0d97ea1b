import { subscriberStatuses } from '../subscribers/index.js';
import type { FlowDay, ReaderStatus, StatusChange, StatusCounts, StatusDay } from './queries.js';

/** How many readers entered and left a status on a day, as the store's daily rollup sums them. */
export interface StatusDelta {
  day: string;
  status: ReaderStatus;
  entered: number;
  exited: number;
}

const dayMs = 86_400_000;

/** The `count` UTC days that end with the day of `now`, oldest first, as YYYY-MM-DD. */
export function daysUpTo(now: Date, count: number): string[] {
  const last = Math.floor(now.getTime() / dayMs);
  return Array.from({ length: count }, (_, index) => new Date((last - count + 1 + index) * dayMs).toISOString().slice(0, 10));
}

export const noReaders = (): StatusCounts => Object.fromEntries(subscriberStatuses.map((status) => [status, 0])) as StatusCounts;

/**
 * Readers per status at the end of each of `days`, readers who joined and left active on each,
 * and readers per status now: from the counts before the first day and the changes from it on
 * (changes dated after the last day count towards now only).
 */
export function statusHistory(
  before: StatusCounts,
  deltas: readonly StatusDelta[],
  days: readonly string[],
): { days: StatusDay[]; flows: FlowDay[]; now: StatusCounts } {
  const byDay = new Map<string, StatusDelta[]>();
  for (const delta of deltas) byDay.set(delta.day, [...(byDay.get(delta.day) ?? []), delta]);
  const running = { ...before };
  const history: StatusDay[] = [];
  const flows: FlowDay[] = [];
  for (const day of days) {
    let joined = 0;
    let lost = 0;
    for (const delta of byDay.get(day) ?? []) {
      running[delta.status] += delta.entered - delta.exited;
      if (delta.status === 'active') {
        joined += delta.entered;
        lost += delta.exited;
      }
    }
    history.push({ day, counts: { ...running } });
    flows.push({ day, joined, lost });
  }
  const now = { ...running };
  for (const delta of deltas) if (delta.day > days.at(-1)!) now[delta.status] += delta.entered - delta.exited;
  return { days: history, flows, now };
}

/** A change of status in words. */
export function changeReason(from: ReaderStatus, to: ReaderStatus): string {
  if (to === 'active') return from === 'pending' ? 'confirmed' : 'resubscribed';
  if (to === 'pending') return 'back to pending';
  return to;
}

/**
 * A reader's statuses, oldest first: the one they were added with (the first change's `from`, or
 * their status now when it never changed), then each change the store recorded.
 */
export function readerHistory(
  reader: { createdAt: string; source: string; status: ReaderStatus },
  changes: readonly { at: string; from: ReaderStatus; status: ReaderStatus }[],
): StatusChange[] {
  const first = changes[0]?.from ?? reader.status;
  return [
    { at: reader.createdAt, status: first, reason: `added (${reader.source})` },
    ...changes.map((change) => ({ at: change.at, status: change.status, from: change.from, reason: changeReason(change.from, change.status) })),
  ];
}
