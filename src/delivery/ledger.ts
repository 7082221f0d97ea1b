import type { DeliveryCounts } from '../editions/index.js';
import type { Preferences } from '../subscribers/index.js';

/** A delivery that is due, with what is needed to render it. */
export interface DueDelivery {
  subscriberId: number;
  email: string;
  name: string;
  preferences: Preferences;
  messageId: string;
  attempts: number;
}

/**
 * One row per (edition, subscriber): pending → sending → sent | retry | failed | skipped.
 * A row is claimed (sending) right before its send and marked sent right after the server
 * accepts it, so a crash leaves only the in-flight rows uncertain.
 */
export interface Ledger {
  /** Adds a pending row for every active member of the list who has none yet; returns how many. */
  enqueue(editionId: number, list: string, messageIdDomain: string): Promise<number>;
  /** Rows left in `sending` by a run that died: back to pending (same Message-ID); returns how many. */
  recoverInFlight(editionId: number): Promise<number>;
  /** Due rows (pending, or retry whose time has come) after `afterSubscriberId`, in subscriber order. */
  due(editionId: number, afterSubscriberId: number, limit: number, now: Date): Promise<DueDelivery[]>;
  /** Claims a row for sending if its subscriber is still active on the list; otherwise marks it skipped. */
  claim(editionId: number, subscriberId: number, list: string): Promise<'claimed' | 'skipped' | 'gone'>;
  markSent(editionId: number, subscriberId: number): Promise<void>;
  /** Copies each sent row's time to its subscriber's last-sent time (once a run, not per message). */
  recordLastSent(editionId: number): Promise<void>;
  markRetry(editionId: number, subscriberId: number, error: string, nextAttemptAt: Date): Promise<void>;
  markFailed(editionId: number, subscriberId: number, error: string): Promise<void>;
  counts(editionId: number): Promise<DeliveryCounts>;
  /** The earliest next attempt among retry rows, if any. */
  nextRetryAt(editionId: number): Promise<Date | undefined>;
  /** Takes the edition's run lease, or says who holds it. A lease whose holder is dead or silent for `staleMs` is taken over. */
  acquireRun(editionId: number, owner: string, staleMs: number): Promise<{ acquired: true } | { acquired: false; holder: string }>;
  heartbeat(editionId: number, owner: string): Promise<void>;
  releaseRun(editionId: number, owner: string): Promise<void>;
}
