import { actedActions, type BounceEvent, type BounceKind, type EditionActions, type EditionFeedback, type StoredBounceEvent } from '../../bounces/index.js';

/** How both backends store a bounce event, and the SQL both ask it with (their dialects agree here). */
export interface EventRow {
  id: number;
  dedupe_key: string;
  subscriber_id: number | null;
  edition_id: number | null;
  kind: BounceKind;
  email: string | null;
  status: string | null;
  hard: number | boolean | null;
  reason: string | null;
  source: string;
  action: StoredBounceEvent['action'];
  evidence: StoredBounceEvent['evidence'] | null;
  received_at: string;
  reviewed_at: string | null;
}

/** A stored row as an event (shared by both backends: only `hard` differs, 0/1 against false/true). */
export const toEvent = (row: EventRow): StoredBounceEvent => ({
  id: Number(row.id),
  dedupeKey: row.dedupe_key,
  kind: row.kind,
  source: row.source,
  action: row.action,
  receivedAt: typeof row.received_at === 'string' ? row.received_at : new Date(row.received_at).toISOString(),
  ...(row.subscriber_id !== null ? { subscriberId: Number(row.subscriber_id) } : {}),
  ...(row.edition_id !== null ? { editionId: Number(row.edition_id) } : {}),
  ...(row.email !== null ? { email: row.email } : {}),
  ...(row.status !== null ? { status: row.status } : {}),
  ...(row.hard !== null ? { hard: Boolean(row.hard) } : {}),
  ...(row.reason !== null ? { reason: row.reason } : {}),
  ...(row.evidence ? { evidence: row.evidence } : {}),
  ...(row.reviewed_at ? { reviewedAt: typeof row.reviewed_at === 'string' ? row.reviewed_at : new Date(row.reviewed_at).toISOString() } : {}),
});

/**
 * An event's values in the column order of the insert both backends write it with; `hard` as the
 * backend stores it (0/1 in SQLite).
 */
export const eventValues = (event: BounceEvent, hard: (value: boolean) => unknown): unknown[] => [
  event.dedupeKey,
  event.subscriberId ?? null,
  event.editionId ?? null,
  event.kind,
  event.email ?? null,
  event.status ?? null,
  event.hard === undefined ? null : hard(event.hard),
  event.reason ?? null,
  event.source,
  event.action,
  event.evidence ?? null,
  event.receivedAt,
];

/** The counts as numbers, whichever type the driver read them as. */
export const toFeedback = (row: Record<keyof EditionFeedback, number | string>): EditionFeedback => ({
  sent: Number(row.sent),
  bounces: Number(row.bounces),
  hardBounces: Number(row.hardBounces),
  complaints: Number(row.complaints),
});

export const toEditionActions = (row: Record<keyof EditionActions, number | string>): EditionActions => ({
  sent: Number(row.sent),
  acted: Number(row.acted),
  held: Number(row.held),
});

/** `action IN (…)` for the actions that count against a reader (both backends). */
export const acted = `action IN (${actedActions.map((action) => `'${action}'`).join(', ')})`;

/**
 * The last good delivery: a sent message no counted bounce came back for. The delivery the new
 * bounce is about (its edition, or when the report did not say, the reader's latest) is not one,
 * even though its bounce is not stored yet. `edition` is a placeholder for the new bounce's edition id or NULL.
 */
export const lastGoodDelivery = (subscriber: string, edition: string) => `(SELECT max(d.sent_at) FROM deliveries d
  WHERE d.subscriber_id = ${subscriber} AND d.status = 'sent'
    AND d.edition_id <> coalesce(${edition}, (SELECT latest.edition_id FROM deliveries latest
      WHERE latest.subscriber_id = ${subscriber} AND latest.status = 'sent' ORDER BY latest.sent_at DESC LIMIT 1))
    AND NOT EXISTS (SELECT 1 FROM bounce_events b WHERE b.subscriber_id = d.subscriber_id AND b.edition_id = d.edition_id AND b.kind = 'bounce' AND b.${acted}))`;

/** Soft bounces that counted: one per message (edition), a report naming no edition on its own. */
export const softBounceMessages = (edition: string) => `count(DISTINCT coalesce(edition_id, -id)) AS messages,
  coalesce(max(CASE WHEN edition_id = ${edition} THEN 1 ELSE 0 END), 0) AS this_message`;
