import type { BounceKind } from './types.js';

/**
 * What an event did to its subscriber. `bounced`, `counted` (a soft bounce towards the limit) and
 * `complained` acted; `unverified` would have acted but nothing proves the report is about a
 * message we sent to that reader; `held` was proven but the inbound breaker stopped it; `delayed`
 * is a delay warning (the server is still trying); `dismissed` was reviewed and dropped.
 */
export type EventAction = 'bounced' | 'counted' | 'complained' | 'none' | 'unmatched' | 'delayed' | 'unverified' | 'held' | 'dismissed';

/** Actions that changed or counted against a reader: the only ones rates and soft limits count. */
export const actedActions: readonly EventAction[] = ['bounced', 'counted', 'complained'];
/** Actions waiting for the operator (`bounces apply` or `bounces dismiss`). */
export const waitingActions: readonly EventAction[] = ['unverified', 'held'];

/**
 * How a report was tied to its reader. The first four are proof that we sent that reader the
 * message: a VERP token, a Message-ID with its MAC (or an older one the ledger holds), a signed
 * unsubscribe link in the returned headers, a provider whose webhook signature checked out.
 * `address`: only the address matched (anyone can write one). `mismatch`: the proof names one
 * reader and the report another address (a forward?). `forged`: something claimed to be ours
 * (a token, a MAC) and is not.
 */
export type Evidence = 'return-path' | 'message-id' | 'unsubscribe-link' | 'provider' | 'address' | 'mismatch' | 'forged';

/** How each kind of evidence reads in a list for the operator. */
export const evidenceWords: Readonly<Record<Evidence, string>> = {
  'return-path': 'VERP token',
  'message-id': 'Message-ID',
  'unsubscribe-link': 'unsubscribe link',
  provider: 'signed webhook',
  address: 'address only',
  mismatch: 'proof names another reader',
  forged: 'forged proof',
};

export const provenEvidence: ReadonlySet<Evidence> = new Set(['return-path', 'message-id', 'unsubscribe-link', 'provider']);

/** One report about one recipient, as stored. */
export interface BounceEvent {
  /** The report's own Message-ID (or a hash of it) and the recipient: the same report twice is one event. */
  dedupeKey: string;
  subscriberId?: number;
  editionId?: number;
  kind: BounceKind;
  email?: string;
  status?: string;
  hard?: boolean;
  reason?: string;
  /** Where it came in: ingest, imap, webhook:ses, webhook:postmark, … */
  source: string;
  action: EventAction;
  evidence?: Evidence;
  receivedAt: string;
  /** When the operator applied or dismissed it. */
  reviewedAt?: string;
}

export interface StoredBounceEvent extends BounceEvent {
  id: number;
}

/** What a report was, in a few words: "hard bounce 5.1.1", "complaint". */
export const eventWhat = (event: BounceEvent): string =>
  event.kind === 'bounce' ? `${event.hard ? 'hard' : 'soft'} bounce ${event.status ?? ''}`.trim() : event.kind;

/** Per edition: how many readers bounced or complained, next to how many it was sent to. */
export interface EditionFeedback {
  sent: number;
  bounces: number;
  hardBounces: number;
  complaints: number;
}

/** What the inbound breaker weighs for one edition. */
export interface EditionActions {
  /** Messages of the edition that went out. */
  sent: number;
  /** Readers of the edition that reports bounced or complained. */
  acted: number;
  /** Events of the edition the breaker holds. */
  held: number;
}

export interface EventFilter {
  since?: string;
  kind?: BounceKind;
  actions?: readonly EventAction[];
  editionId?: number;
  limit: number;
}

/** Where bounces, complaints and auto-replies are kept (one backend per store, like the others). */
export interface BounceStore {
  /** Stores the event unless a report with its key is stored already; says which. */
  record(event: BounceEvent): Promise<'new' | 'duplicate'>;
  /** Whether a report with this key is stored already (for dry runs). */
  has(dedupeKey: string): Promise<boolean>;
  /**
   * The messages (editions; a report naming none counts alone) that soft-bounced for
   * `subscriberId` after `since` and after their last good delivery (a sent message that no
   * counted bounce came back for), and whether `editionId`'s message is one of them already: a
   * message counts once, however many reports (a delay, then the failure) come back for it.
   */
  softBounces(subscriberId: number, since: Date, editionId?: number): Promise<{ messages: number; thisMessage: boolean }>;
  list(filter: EventFilter): Promise<StoredBounceEvent[]>;
  /** The events with these ids (those that exist). */
  byIds(ids: readonly number[]): Promise<StoredBounceEvent[]>;
  /** Sets a waiting event's action (applied or dismissed); false when it was not waiting any more. */
  review(id: number, action: EventAction, reviewedAt: string): Promise<boolean>;
  feedback(editionId: number): Promise<EditionFeedback>;
  editionActions(editionId: number): Promise<EditionActions>;
  /** Events naming no edition that acted or were held since `since` (the hourly limit). */
  actedWithoutEdition(since: Date): Promise<number>;
  /** The Message-ID the ledger holds for this edition and reader, if it has the row. */
  sentMessageId(editionId: number, subscriberId: number): Promise<string | undefined>;
  /**
   * Takes a single-use token (a webhook's): true the first time, false while it is remembered
   * (until `until`). Kept in the store, so every process of a deployment refuses a repeat.
   */
  firstUse(token: string, until: Date, now: Date): Promise<boolean>;
}
