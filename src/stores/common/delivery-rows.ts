import { type DeliveryCounts, emptyCounts } from '../../editions/index.js';
import type { DueDelivery, FailedDelivery } from '../../ledger/index.js';
import { type StoredPreferences, storedPreferences } from './subscriber-rows.js';

/** A due delivery with its reader, as both backends read it. */
export interface DueRow extends StoredPreferences {
  subscriber_id: number;
  message_id: string;
  attempts: number;
  deferred_since: string | null;
  email: string;
  name: string;
}

export const toDue = (row: DueRow): DueDelivery => ({
  subscriberId: row.subscriber_id,
  email: row.email,
  name: row.name,
  messageId: row.message_id,
  attempts: row.attempts,
  ...(row.deferred_since ? { deferredSince: row.deferred_since } : {}),
  preferences: storedPreferences(row),
});

/** An edition's rows counted by status, every status there (none: 0). */
export function tallyCounts(rows: readonly { status: keyof DeliveryCounts; n: number }[]): DeliveryCounts {
  const counts = emptyCounts();
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

/** A failed or waiting row: when it goes again only while it waits. */
export const toFailure = ({ nextAttemptAt, ...row }: FailedDelivery & { nextAttemptAt: string | null }): FailedDelivery => ({
  ...row,
  ...(nextAttemptAt && row.status === 'waiting' ? { nextAttemptAt } : {}),
});
