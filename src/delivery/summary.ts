import type { DeliveryCounts, Edition } from '../editions/index.js';
import type { FailureKind } from '../ledger/index.js';
import type { RelayReport } from './transport.js';

export interface SendProgress {
  sent: number;
  failed: number;
  total: number;
  startedAt: number;
}

/** One relay's part in a run (delivery.relays). */
export interface RelaySummary {
  name: string;
  /** Messages it took in this run. */
  sent: number;
  /** Messages it refused for good in this run. */
  failed: number;
  /** It went down in this run: why, and which relays took its share. */
  down?: RelayReport['down'];
}

export interface SendSummary {
  editionId: number;
  list: string;
  day: string;
  /** Rows added to the ledger by this run (new subscribers since the last run included). */
  queued: number;
  /** Rows a run that stopped (crashed, killed, its lease run out) left in flight, sent again with their Message-ID. */
  recovered: number;
  /**
   * Messages that may have reached their reader twice: those `recovered` (the run that stopped
   * may have sent them), and those this run sent after another run took the edition over.
   */
  mayHaveGoneTwice: number;
  sent: number;
  failed: number;
  bounced: number;
  skipped: number;
  /** Readers with frequency `alerts` left out because none of their saved searches matched this edition. */
  skippedNoMatch: number;
  /** Messages put back to wait for another try in this run. */
  retried: number;
  /** Ledger totals for the edition at the end. */
  counts: DeliveryCounts;
  complete: boolean;
  interrupted: boolean;
  paused?: string;
  /** Recipient domains whose bounces tripped the breaker: their mail waits, the rest went. */
  pausedDomains?: { domain: string; reason: string }[];
  /** Another run took the edition over while this one was stalled past its lease. */
  lostLease?: boolean;
  /** Sharing the edition: messages other live senders hold, which they finish. */
  heldByOthers?: number;
  /** The failure seen most often in this run. */
  topFailure?: { kind: FailureKind; reason: string; count: number };
  /** The SMTP pool was lowered to this many connections after 421 replies. */
  connectionsLoweredTo?: number;
  /** Through several relays (delivery.relays): each one's part; absent through one transport. */
  relays?: RelaySummary[];
  durationMs: number;
  /** When the next try of the messages still waiting is due. */
  nextRetryAt?: string;
}

export function emptySummary(edition: Edition, recovered: number, counts: DeliveryCounts): SendSummary {
  return {
    editionId: edition.id,
    list: edition.list,
    day: edition.day,
    queued: 0,
    recovered,
    mayHaveGoneTwice: recovered,
    sent: 0,
    failed: 0,
    bounced: 0,
    skipped: 0,
    skippedNoMatch: 0,
    retried: 0,
    counts,
    complete: false,
    interrupted: false,
    durationMs: 0,
  };
}

/** Failures of the run by kind and reason, to name the most common one. */
export class FailureTally {
  private readonly reasons = new Map<string, { kind: FailureKind; reason: string; count: number }>();

  add(kind: FailureKind, reason: string): void {
    const key = `${kind}\u0000${reason}`;
    const seen = this.reasons.get(key) ?? { kind, reason, count: 0 };
    seen.count++;
    this.reasons.set(key, seen);
  }

  top(): { kind: FailureKind; reason: string; count: number } | undefined {
    return [...this.reasons.values()].sort((a, b) => b.count - a.count)[0];
  }
}

/** The run's messages per relay: those each took, and those each refused for good. */
export class RelayTally {
  private readonly counts = new Map<string, { sent: number; failed: number }>();
  /** Rows this run failed, by the relay that refused them: a failure undone later (the relay was at fault) is taken off. */
  private readonly failedThrough = new Map<number, string>();

  sent(relay: string | undefined): void {
    if (relay !== undefined) this.of(relay).sent++;
  }

  failed(subscriberId: number, relay: string | undefined): void {
    if (relay === undefined) return;
    this.of(relay).failed++;
    this.failedThrough.set(subscriberId, relay);
  }

  undone(subscriberIds: readonly number[]): void {
    for (const id of subscriberIds) {
      const relay = this.failedThrough.get(id);
      if (relay === undefined) continue;
      this.of(relay).failed--;
      this.failedThrough.delete(id);
    }
  }

  private of(relay: string): { sent: number; failed: number } {
    let counts = this.counts.get(relay);
    if (!counts) this.counts.set(relay, (counts = { sent: 0, failed: 0 }));
    return counts;
  }

  /** Every relay the transport reports, in its order, with this run's counts. */
  summary(reports: readonly RelayReport[]): RelaySummary[] {
    return reports.map(({ name, down }) => ({ name, ...(this.counts.get(name) ?? { sent: 0, failed: 0 }), ...(down ? { down } : {}) }));
  }
}
