import type { BounceKind } from './types.js';

/** What an event did to its subscriber. */
export type EventAction = 'bounced' | 'counted' | 'complained' | 'none' | 'unmatched';

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
  receivedAt: string;
}

export interface StoredBounceEvent extends BounceEvent {
  id: number;
}

/** Per edition: how many readers bounced or complained, next to how many it was sent to. */
export interface EditionFeedback {
  sent: number;
  bounces: number;
  hardBounces: number;
  complaints: number;
}

/** Where bounces, complaints and auto-replies are kept (one backend per store, like the others). */
export interface BounceStore {
  /** Stores the event unless a report with its key is stored already; says which. */
  record(event: BounceEvent): Promise<'new' | 'duplicate'>;
  /** Whether a report with this key is stored already (for dry runs). */
  has(dedupeKey: string): Promise<boolean>;
  /**
   * Soft bounces of `subscriberId` after `since` and after their last good delivery (a sent
   * message that no bounce came back for): a delivery that got through resets the count.
   * `editionId`: the edition the new bounce is about, when known (else the reader's latest).
   */
  softSinceLastDelivery(subscriberId: number, since: Date, editionId?: number): Promise<number>;
  list(options: { since?: string; kind?: BounceKind; limit: number }): Promise<StoredBounceEvent[]>;
  feedback(editionId: number): Promise<EditionFeedback>;
}
