import type { Config } from '../config/index.js';
import type { SubscriberStore, TokenSigner } from '../subscribers/index.js';
import { InboundBreaker } from './breaker.js';
import { actedActions, type BounceStore, type EventAction } from './events.js';
import { findReader, isProven, type MatchContext, type Reader, readClaims } from './match.js';
import { parseBounce } from './parse-bounce.js';
import type { BounceKind, BounceVerdict } from './types.js';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

export interface IngestDeps extends MatchContext {
  config: Readonly<Config>;
  subscribers: SubscriberStore;
  bounces: BounceStore;
  breaker: InboundBreaker;
  now?: () => Date;
}

/** What ingesting needs, from the open stores and the config. */
export function ingestDeps(
  config: Readonly<Config>,
  parts: { subscribers: SubscriberStore; bounces: BounceStore; signer: TokenSigner; storeId: string; now?: () => Date },
): IngestDeps {
  return {
    config,
    ...parts,
    breaker: new InboundBreaker(config.bounces.breaker, parts.bounces),
    ...(config.delivery.returnPath ? { returnPath: config.delivery.returnPath } : {}),
  };
}

export interface IngestOptions {
  /** Read and match, record and change nothing. */
  dryRun?: boolean;
  /** A provider signed the report (its webhook signature checked out): its addresses are proof. */
  vouched?: boolean;
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
  /** Events kept for the operator: nothing proves whom they concern… */
  unverified: number;
  /** …or the inbound breaker held them (see bounces.breaker). */
  held: number;
}

/** One event of a report: a failed or delayed recipient of a bounce, or the report itself. */
export interface ReportEvent {
  email?: string;
  status?: string;
  hard?: boolean;
  delayed?: boolean;
  reason?: string;
}

/**
 * What an event does to its reader once it is believed. Hard: bounced at once. Soft: bounced
 * once bounces.softLimit messages soft-bounced within bounces.softWindowDays since their last
 * delivery that got through (a message counts once, whatever number of reports). A delay warning:
 * nothing yet. Complaint: complained and off every list. Anything else: recorded, nothing done.
 */
export async function consequence(kind: BounceKind, event: ReportEvent, reader: Reader, deps: IngestDeps, now: Date): Promise<EventAction> {
  const { subscriberId, editionId } = reader;
  if (subscriberId === undefined) return 'unmatched';
  if (kind === 'complaint') return 'complained';
  if (kind !== 'bounce') return 'none';
  if (event.delayed) return 'delayed';
  if (event.hard) return 'bounced';
  const { softLimit, softWindowDays } = deps.config.bounces;
  const { messages, thisMessage } = await deps.bounces.softBounces(subscriberId, new Date(now.getTime() - softWindowDays * dayMs), editionId);
  return messages + (thisMessage ? 0 : 1) >= softLimit ? 'bounced' : 'counted';
}

/** Whether the evidence lets a report change its reader (bounces.trust says whether an address is enough). */
function believed(reader: Reader, deps: IngestDeps): boolean {
  return isProven(reader.evidence) || (deps.config.bounces.trust === 'mailbox' && reader.evidence === 'address');
}

/** The action taken: the consequence, unless the evidence falls short or the breaker holds it. */
async function decide(kind: BounceKind, event: ReportEvent, reader: Reader, deps: IngestDeps, now: Date): Promise<EventAction> {
  const action = await consequence(kind, event, reader, deps, now);
  if (!actedActions.includes(action)) return action;
  if (!believed(reader, deps)) return 'unverified';
  if (action !== 'bounced' && action !== 'complained') return action;
  const held = await deps.breaker.holds(reader.editionId, now);
  deps.breaker.count(reader.editionId, held ? 'held' : 'acted');
  return held ? 'held' : action;
}

/** Changes the reader as the action says (a complaint takes them off every list). */
export async function act(action: EventAction, subscriberId: number, subscribers: SubscriberStore): Promise<void> {
  const subscriber = await subscribers.findById(subscriberId);
  if (!subscriber) return;
  if (action === 'complained') {
    if (subscriber.status !== 'complained') await subscribers.setStatus(subscriberId, 'complained');
    for (const list of subscriber.lists) await subscribers.unsubscribe(subscriberId, list);
  } else if (action === 'bounced' && (subscriber.status === 'active' || subscriber.status === 'pending')) {
    await subscribers.setStatus(subscriberId, 'bounced');
  }
}

function eventsOf(verdict: BounceVerdict): ReportEvent[] {
  if (verdict.kind === 'bounce') {
    return verdict.recipients.map((recipient) => ({
      email: recipient.email,
      status: recipient.status,
      hard: recipient.hard,
      reason: recipient.reason,
      ...(recipient.action === 'delayed' ? { delayed: true } : {}),
    }));
  }
  const complaint = verdict.complaint;
  return [{ ...(complaint?.recipient ? { email: complaint.recipient } : {}), ...(complaint ? { reason: `feedback: ${complaint.feedbackType}` } : {}) }];
}

/** Reads a report, finds its reader, stores each event once, and acts on the new ones it may (unless dry). */
export async function ingestVerdict(verdict: BounceVerdict, source: string, deps: IngestDeps, options: IngestOptions = {}): Promise<IngestResult> {
  const now = (deps.now ?? (() => new Date()))();
  const events = eventsOf(verdict);
  const claims = await readClaims(verdict, deps);
  const result: IngestResult = { kind: verdict.kind, recipients: [], duplicate: true, unverified: 0, held: 0 };
  for (const event of events) {
    const reader = await findReader(claims, event.email, deps, options.vouched);
    const dedupeKey = `${verdict.messageId}|${event.email ?? verdict.kind}`;
    const seen = await deps.bounces.has(dedupeKey);
    const action = seen ? 'none' : await decide(verdict.kind, event, reader, deps, now);
    if (!seen) result.duplicate = false;
    if (action === 'unverified') result.unverified++;
    if (action === 'held') result.held++;
    if (!seen && !options.dryRun) {
      const stored = await deps.bounces.record({
        dedupeKey,
        kind: verdict.kind,
        source,
        action,
        receivedAt: now.toISOString(),
        ...(reader.subscriberId !== undefined ? { subscriberId: reader.subscriberId } : {}),
        ...(reader.editionId !== undefined ? { editionId: reader.editionId } : {}),
        ...(reader.evidence ? { evidence: reader.evidence } : {}),
        ...(event.email ? { email: event.email } : {}),
        ...(event.status ? { status: event.status } : {}),
        ...(event.hard !== undefined ? { hard: event.hard } : {}),
        ...(event.reason ? { reason: event.reason } : {}),
      });
      if (stored === 'new' && reader.subscriberId !== undefined) await act(action, reader.subscriberId, deps.subscribers);
    }
    result.subscriberId ??= reader.subscriberId;
    if (verdict.kind === 'bounce') {
      result.recipients.push({
        email: event.email!,
        status: event.status!,
        hard: event.hard!,
        action,
        ...(reader.subscriberId !== undefined ? { subscriberId: reader.subscriberId } : {}),
      });
    }
  }
  return result;
}

/** ingestVerdict on a raw message. */
export async function ingestMessage(raw: Buffer, source: string, deps: IngestDeps, options: IngestOptions = {}): Promise<IngestResult> {
  return ingestVerdict(await parseBounce(raw), source, deps, options);
}
