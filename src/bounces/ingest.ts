import { subDays } from 'date-fns';
import type { Config } from '../config/index.js';
import type { SubscriberStore } from '../subscribers/index.js';
import type { BounceStore, EventAction } from './events.js';
import { findReader, type MatchContext, type Reader } from './match.js';
import { parseBounce } from './parse-bounce.js';
import type { BounceKind, BounceVerdict } from './types.js';

export interface IngestDeps extends MatchContext {
  config: Readonly<Config>;
  subscribers: SubscriberStore;
  bounces: BounceStore;
  now?: () => Date;
}

export interface IngestedRecipient {
  email: string;
  status: string;
  hard: boolean;
  subscriberId?: number;
  action: EventAction;
}

export interface IngestResult {
  kind: BounceKind;
  recipients: IngestedRecipient[];
  /** The reader the report is about (the first one matched). */
  subscriberId?: number;
  /** Every event of this report was stored before: it counted then, it does not count again. */
  duplicate: boolean;
}

/** One event of a report: a failed recipient of a bounce, or the report itself. */
interface Pending {
  email?: string;
  status?: string;
  hard?: boolean;
  reason?: string;
}

/**
 * What an event does to its reader. Hard: bounced at once. Soft: bounced once there are
 * bounces.softLimit soft bounces within bounces.softWindowDays since their last delivery that got
 * through. Complaint: complained and off every list. Anything else: recorded, nothing done.
 */
async function decide(kind: BounceKind, event: Pending, reader: Reader, deps: IngestDeps, now: Date): Promise<EventAction> {
  const { subscriberId, editionId } = reader;
  if (subscriberId === undefined) return 'unmatched';
  if (kind === 'complaint') return 'complained';
  if (kind !== 'bounce') return 'none';
  if (event.hard) return 'bounced';
  const { softLimit, softWindowDays } = deps.config.bounces;
  const earlier = await deps.bounces.softSinceLastDelivery(subscriberId, subDays(now, softWindowDays), editionId);
  return earlier + 1 >= softLimit ? 'bounced' : 'counted';
}

async function act(action: EventAction, subscriberId: number, subscribers: SubscriberStore): Promise<void> {
  const subscriber = await subscribers.findById(subscriberId);
  if (!subscriber) return;
  if (action === 'complained') {
    if (subscriber.status !== 'complained') await subscribers.setStatus(subscriberId, 'complained');
    for (const list of subscriber.lists) await subscribers.unsubscribe(subscriberId, list);
  } else if (action === 'bounced' && (subscriber.status === 'active' || subscriber.status === 'pending')) {
    await subscribers.setStatus(subscriberId, 'bounced');
  }
}

/** Reads a report, finds its reader, stores each event once, and acts on the new ones (unless dry). */
export async function ingestVerdict(verdict: BounceVerdict, source: string, deps: IngestDeps, options: { dryRun?: boolean } = {}): Promise<IngestResult> {
  const now = (deps.now ?? (() => new Date()))();
  const pending: Pending[] =
    verdict.kind === 'bounce'
      ? verdict.recipients.map((recipient) => ({ email: recipient.email, status: recipient.status, hard: recipient.hard, reason: recipient.reason }))
      : [{ ...(verdict.complaint?.recipient ? { email: verdict.complaint.recipient } : {}), ...(verdict.complaint ? { reason: `feedback: ${verdict.complaint.feedbackType}` } : {}) }];
  const result: IngestResult = { kind: verdict.kind, recipients: [], duplicate: true };
  for (const event of pending) {
    const reader = await findReader(verdict, event.email, pending.length, deps);
    const dedupeKey = `${verdict.messageId}|${event.email ?? verdict.kind}`;
    const seen = await deps.bounces.has(dedupeKey);
    const action = seen ? 'none' : await decide(verdict.kind, event, reader, deps, now);
    if (!seen) result.duplicate = false;
    if (!seen && !options.dryRun) {
      const stored = await deps.bounces.record({
        dedupeKey, kind: verdict.kind, source, action, receivedAt: now.toISOString(),
        ...(reader.subscriberId !== undefined ? { subscriberId: reader.subscriberId } : {}),
        ...(reader.editionId !== undefined ? { editionId: reader.editionId } : {}),
        ...(event.email ? { email: event.email } : {}), ...(event.status ? { status: event.status } : {}),
        ...(event.hard !== undefined ? { hard: event.hard } : {}), ...(event.reason ? { reason: event.reason } : {}),
      });
      if (stored === 'new' && reader.subscriberId !== undefined) await act(action, reader.subscriberId, deps.subscribers);
    }
    result.subscriberId ??= reader.subscriberId;
    if (verdict.kind === 'bounce') {
      result.recipients.push({ email: event.email!, status: event.status!, hard: event.hard!, action, ...(reader.subscriberId !== undefined ? { subscriberId: reader.subscriberId } : {}) });
    }
  }
  return result;
}

/** ingestVerdict on a raw message. */
export async function ingestMessage(raw: Buffer, source: string, deps: IngestDeps, options: { dryRun?: boolean } = {}): Promise<IngestResult> {
  return ingestVerdict(await parseBounce(raw), source, deps, options);
}
