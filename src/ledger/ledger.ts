import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { DeliveryCounts } from '../editions/index.js';
import type { Frequency, Preferences } from '../subscribers/index.js';

/**
 * Who is at fault when a send fails, as the ledger records it (delivery/failures.ts decides which):
 * the reader's mailbox (`bounce`), this one message (`reject`), try later (`deferred`), fewer
 * connections (`throttle`), the server out of reach (`outage`), us (`sender`), or a policy
 * refusal that is about us or about the reader depending on the pattern (`policy`).
 */
export type FailureKind = 'bounce' | 'reject' | 'deferred' | 'throttle' | 'outage' | 'sender' | 'policy';

/** A delivery that is due, with what is needed to render it. */
export interface DueDelivery {
  subscriberId: number;
  email: string;
  name: string;
  preferences: Preferences;
  messageId: string;
  attempts: number;
  /** When the receiving side first deferred this message (ISO), across runs: its retry window starts there. */
  deferredSince?: string;
}

/** Why rows failed or wait, grouped: what `editions show` prints. */
export interface FailureGroup {
  status: 'failed' | 'waiting';
  kind: FailureKind | 'unknown';
  reason: string;
  count: number;
}

/** One reader's failed or waiting row (`editions show --failures`). */
export interface FailedDelivery {
  subscriberId: number;
  email: string;
  status: 'failed' | 'waiting';
  kind: FailureKind | 'unknown';
  reason: string;
  attempts: number;
  nextAttemptAt?: string;
}

/** An edition's messages per relay (delivery.relays): what `editions show` counts. */
export interface RelayCount {
  relay: string;
  sent: number;
  failed: number;
}

/** Who of a list an edition is for: readers of these frequencies, and `alerts` readers whose saved searches (as stored) match it. */
export interface Audience {
  frequencies: readonly Frequency[];
  alertSets: readonly string[];
  /** Real mail (SMTP, a module): the demo readers seeded from example.csv get none of it. */
  leaveOutDemo?: boolean;
}

/** Why a demo reader's row was skipped. */
export const demoSetAside = 'a demo reader (seeded from example.csv): real mail never goes to them';

/** Daily readers only (the sender adds alerts readers whose searches match an edition). */
export const dailyAudience: Audience = { frequencies: ['daily'], alertSets: [] };

/** Distinct saved-search sets of a list's active `alerts` readers, as stored, with how many readers have each. */
export interface AlertSet {
  alerts: string;
  readers: number;
}

export type ClaimOutcome =
  /** The row is this run's to send now. */
  | 'claimed'
  /** The subscriber left the list meanwhile: the row is skipped. */
  | 'skipped'
  /** Someone else holds or finished the row. */
  | 'gone'
  /** This run no longer holds its lease: it must stop. */
  | 'lost';

export interface StartRunOptions {
  /** How long the lease lasts without a renewal. */
  leaseMs: number;
  /** Refuse when another live run holds the edition (the one-sender rule of a store that has it). */
  exclusive: boolean;
}

/** `senders`: how many runs, this one included, share the edition now. */
export type StartedRun = { started: true; recovered: number; senders: number } | { started: false; holder: string };

/** Whether the run still holds its lease, and how many runs share the edition now. */
export interface RenewedRun {
  held: boolean;
  senders: number;
}

/**
 * One row per (edition, subscriber): pending → sending → sent | retry | failed | skipped.
 *
 * A run holds a lease on the edition, renewed while it works. It reserves batches of due rows,
 * claims each (sending) right before its send and records the outcome right after, and every one
 * of those writes checks that the row is still the run's: a run that stalled past its lease, and
 * whose rows another run took over, can change nothing. A crash leaves only the in-flight rows
 * uncertain; the next run re-sends those with the same Message-ID.
 */
/** Why a row waits for another try, and when (Ledger.markWaiting). */
export interface Wait {
  kind: FailureKind;
  reason: string;
  at: Date;
  /** false gives the attempt back: the failure was not the row's fault. */
  spendAttempt: boolean;
}

export interface Ledger {
  /** Adds a pending row for every active member of the list in the audience who has none yet; returns how many. */
  enqueue(editionId: number, list: string, messageIdDomain: string, audience: Audience): Promise<number>;
  /** The saved-search sets of the list's active `alerts` readers: the sender scores each once. */
  alertSets(list: string): Promise<AlertSet[]>;
  /**
   * Takes a lease for `owner` on the edition. Rows that runs whose lease ran out (or whose
   * process is gone) left reserved come back; those they left in flight are re-sent (returned
   * as `recovered`).
   */
  startRun(editionId: number, owner: string, options: StartRunOptions): Promise<StartedRun>;
  /** Extends the lease; `held: false` when it was lost (another run took the edition over). */
  renewRun(editionId: number, owner: string, leaseMs: number): Promise<RenewedRun>;
  /**
   * Frees the rows of runs whose lease ran out (a sender that died): those it had in flight go
   * again (they may have gone out already), those it only reserved are free.
   */
  recoverStale(editionId: number): Promise<{ inFlight: number; reserved: number }>;
  /** Rows other live runs of the edition hold (reserved or in flight), and when the first of their leases runs out. */
  heldByOthers(editionId: number, owner: string): Promise<{ rows: number; leaseEndsAt?: Date }>;
  /**
   * One pace for every sender of the edition (delivery.rateLimit): takes `count` send slots
   * `intervalMs` apart after the last slot any sender took; returns how long to wait for the first.
   */
  takeSendSlots(editionId: number, count: number, intervalMs: number): Promise<number>;
  /** Editions with messages waiting for a retry due by `now` (the schedule sends them again). */
  dueRetries(now: Date): Promise<{ list: string; day: string }[]>;
  /** Gives back the rows reserved and not sent, and the lease. */
  endRun(editionId: number, owner: string): Promise<void>;
  /**
   * Reserves up to `limit` due rows for `owner` (pending, or retry whose time has come) after
   * subscriber `after`, in subscriber order: a pass walks the edition once, page by page.
   */
  reserve(editionId: number, owner: string, limit: number, now: Date, after: number): Promise<DueDelivery[]>;
  /** Claims a reserved row for sending if its subscriber is still active on the list. */
  claim(editionId: number, subscriberId: number, list: string, owner: string): Promise<ClaimOutcome>;
  /** claim() for several rows in one go (the sender gathers them: see batcher.ts). */
  claimMany(editionId: number, subscriberIds: readonly number[], list: string, owner: string): Promise<Map<number, ClaimOutcome>>;
  /** The row was accepted (through `relay`, with several relays). False when the row is no longer this run's (the lease was lost). */
  markSent(editionId: number, subscriberId: number, owner: string, relay?: string): Promise<boolean>;
  /** markSent() for several rows in one go, each with the relay that took it; returns the rows that were still this run's. */
  markSentMany(editionId: number, subscriberIds: readonly number[], owner: string, relayOf?: ReadonlyMap<number, string>): Promise<Set<number>>;
  /**
   * The row waits for another try at `at`; `spendAttempt: false` gives the attempt back. A
   * `deferred` row keeps when it was first deferred (DueDelivery.deferredSince).
   */
  markWaiting(editionId: number, subscriberId: number, owner: string, wait: Wait): Promise<boolean>;
  /** The row failed for good (`relay`: the relay that refused it, with several relays). */
  markFailed(editionId: number, subscriberId: number, owner: string, failure: { kind: FailureKind; reason: string; relay?: string }): Promise<boolean>;
  /** Failed rows of this run back to waiting, their attempt given back (a streak that was the relay's fault). */
  requeue(editionId: number, subscriberIds: readonly number[], owner: string, reason: string): Promise<number>;
  /** Failed rows that were not bounces back to waiting with fresh attempts (`send --retry-failed`). */
  retryFailed(editionId: number): Promise<number>;
  /** The edition's demo readers still waiting are skipped: real mail never goes to them (returns how many). */
  setAsideDemo(editionId: number): Promise<number>;
  /** Which of these readers the edition is done with (sent, failed or skipped): a real run would not send to them. */
  settledAmong(editionId: number, subscriberIds: readonly number[]): Promise<Set<number>>;
  /** Copies each sent row's time to its subscriber's last-sent time (once a run, not per message). */
  recordLastSent(editionId: number): Promise<void>;
  counts(editionId: number): Promise<DeliveryCounts>;
  /** The earliest next attempt among retry rows, if any. */
  nextRetryAt(editionId: number): Promise<Date | undefined>;
  failureGroups(editionId: number): Promise<FailureGroup[]>;
  /** Sent and failed messages per relay, by relay name; empty when the edition went through one transport. */
  relayCounts(editionId: number): Promise<RelayCount[]>;
  failures(editionId: number, limit: number): Promise<FailedDelivery[]>;
}

/**
 * A run's owner id: host and pid, so a dead holder on this host is recognised at once, and a
 * per-run id, so two runs in one process (a scheduler, tests) are told apart.
 */
export const runOwner = (): string => `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

/** True when `owner` names a process on this host that no longer exists. */
export function ownerIsDead(owner: string): boolean {
  const [host, pid] = owner.split(':');
  if (host !== hostname() || !pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
