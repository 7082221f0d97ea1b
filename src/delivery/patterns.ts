import type { Config } from '../config/index.js';
import type { DueDelivery, FailureKind } from '../ledger/index.js';
import { count } from '../words.js';
import type { ClassifiedFailure } from './failures.js';
import type { RunHealth, Verdict } from './health.js';

/** What becomes of a row whose send failed: it fails for good, or it waits for another try. */
export type RowOutcome =
  | { action: 'fail'; kind: FailureKind; reason: string; bounce: boolean }
  | { action: 'wait'; kind: FailureKind; reason: string; at: Date; spendAttempt: boolean };

/** Backoff for a row the server could not take now without it being the row's fault (421, outages). */
const connectionBackoffMs = (streak: number) => Math.min(30_000, 1000 * 2 ** Math.max(0, streak - 1));
/** The longest wait between two tries of a deferred message: MTAs retry every 15 to 60 minutes. */
const maxRetryDelayMs = 30 * 60_000;
/** How long a server takes to be found silent (the SMTP client's connection and greeting timeouts). */
const timeoutMs = 30_000;

export const domainOf = (email: string): string => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

/**
 * What a failed send does to its row, decided by the failure's kind (failures.ts) and by the
 * pattern of the run so far (health.ts). The single place where one reader's reply and the
 * relay's behaviour are told apart:
 *
 * - a bounce or a rejection fails its row, unless the relay has been found at fault;
 * - a policy refusal (5.7.x) is about us when it repeats for recipients in a row (the run
 *   pauses, every row waits); one that comes back for a recipient after others got through is
 *   about that recipient: its row fails as a rejection and the edition goes on;
 * - a deferral waits, with a backoff, across runs, until delivery.retryWindowHours after the
 *   first one (or delivery.maxAttempts): mail servers keep deferred mail for days;
 * - the server out of reach, throttling or refusing us: the row waits, its attempt given back.
 */
export class FailurePolicy {
  /** Once the relay is found at fault, no reader is failed or bounced on its word. */
  private relayAtFault = false;
  /** Readers whose first policy refusal came when this many messages had been accepted. */
  private readonly policySuspects = new Map<number, number>();

  constructor(
    private readonly delivery: Readonly<Config['delivery']>,
    private readonly health: RunHealth,
    private readonly now: () => Date,
    /** When this run stops retrying: a row held past it is left to the next run. */
    private readonly windowEnds: number,
  ) {}

  decide(row: DueDelivery, failure: ClassifiedFailure & { connectionsLoweredTo?: number }): { row: RowOutcome; verdict: Verdict } {
    const { delivery, health } = this;
    let kind = failure.kind;
    if (this.relayAtFault && (kind === 'bounce' || kind === 'reject' || kind === 'policy')) kind = 'sender';
    const now = this.now().getTime();
    const attempt = row.attempts + 1;
    const domain = domainOf(row.email);
    const wait = (at: number, spendAttempt: boolean, as: FailureKind = kind): RowOutcome => ({
      action: 'wait',
      kind: as,
      reason: failure.reason,
      at: new Date(at),
      spendAttempt,
    });
    let outcome: RowOutcome;
    let verdict: Verdict;
    switch (kind) {
      case 'bounce':
      case 'reject':
        outcome = { action: 'fail', kind, reason: failure.reason, bounce: kind === 'bounce' && delivery.bouncePolicy === 'bounce' };
        verdict = health.failure(kind, row.subscriberId, failure.reason, { domain });
        break;
      case 'policy': {
        const acceptedBefore = this.policySuspects.get(row.subscriberId);
        if (acceptedBefore !== undefined && health.accepted > acceptedBefore) {
          const reason = `refused for this reader only (others got through): ${failure.reason}`;
          outcome = { action: 'fail', kind: 'reject', reason, bounce: false };
          verdict = health.failure('reject', row.subscriberId, reason, { domain });
        } else {
          this.policySuspects.set(row.subscriberId, acceptedBefore ?? health.accepted);
          outcome = wait(now, true); // again in the next pass: by then others have been tried
          verdict = health.failure('policy', row.subscriberId, failure.reason, { domain });
        }
        break;
      }
      case 'deferred': {
        const since = row.deferredSince ? Date.parse(row.deferredSince) : now;
        const windowMs = delivery.retryWindowHours * 3_600_000;
        if (now - since >= windowMs || attempt >= delivery.maxAttempts) {
          const over = now - since >= windowMs ? ` over ${delivery.retryWindowHours} hours` : '';
          outcome = { action: 'fail', kind, reason: `gave up after ${count(attempt, 'attempt')}${over}: ${failure.reason}`, bounce: false };
        } else {
          outcome = wait(now + Math.min(maxRetryDelayMs, delivery.retryBaseMs * 2 ** (attempt - 1)), true);
        }
        verdict = health.failure(kind, row.subscriberId, failure.reason, { domain });
        break;
      }
      default:
        // Not the reader's doing: the attempt is given back, and the row waits (at once when the run pauses).
        outcome = wait(kind === 'sender' ? now : now + connectionBackoffMs(health.outageStreak + 1), false);
        verdict = health.failure(kind, row.subscriberId, failure.reason, {
          shrank: failure.connectionsLoweredTo !== undefined,
          ...(failure.timedOut ? { timedOut: true, timeoutMs } : {}),
        });
    }
    if (verdict.pause && (kind === 'bounce' || kind === 'reject' || kind === 'policy')) this.relayAtFault = true;
    return { row: outcome, verdict };
  }

  /** A row of a recipient domain whose bounces tripped the breaker: it waits for the next run, its attempt given back. */
  heldForDomain(row: DueDelivery): RowOutcome | undefined {
    if (!this.health.domainPaused(domainOf(row.email))) return undefined;
    return {
      action: 'wait',
      kind: 'sender',
      reason: `held: ${domainOf(row.email)} bounced far above a list's rate in this run`,
      at: new Date(this.windowEnds + 1),
      spendAttempt: false,
    };
  }
}
