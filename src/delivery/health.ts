import type { FailureKind } from './failures.js';
import { count } from '../words.js';

export interface HealthLimits {
  /** Rejections in a row, or distinct deferred messages with nothing getting through, that pause the run. */
  pauseAfterFailures: number;
  /** Connection-level failures in a row (refused, DNS, TLS, 421 with no connection left to drop) that pause it… */
  pauseAfterOutages: number;
  /** …once they have lasted this long: a burst of 421s while a pool settles on its size is no outage. */
  outageGraceMs?: number;
  /** More bounces than this in a row trip the breaker… */
  maxBouncesInARow: number;
  /** …as do more bounces than half of this many latest sends. */
  bounceWindow: number;
}

export interface Verdict {
  /** Why the run must pause, when it must. */
  pause?: string;
  /** Subscribers whose failed rows (and bounces) of this run were the relay's fault: undo them. */
  undo?: number[];
}

type Outcome = { kind: 'sent' } | { kind: 'bounce' | 'reject' | 'deferred'; subscriberId: number };

/**
 * Watches a run's outcomes for the signs that the fault is the relay's, not the readers':
 * a streak of bounces far above any real list's rate (the circuit breaker), rejections in a row,
 * nothing getting through, or the server out of reach. A success resets every streak. Plain
 * logic with no I/O, so each rule is tested on its own.
 */
export class RunHealth {
  private readonly recent: Outcome[] = [];
  private bouncesInARow = 0;
  private rejections: number[] = [];
  private readonly deferred = new Set<number>();
  private outages = 0;
  private outagesSince = 0;

  constructor(
    private readonly limits: HealthLimits,
    private readonly clock: () => number = Date.now,
  ) {}

  /** How many connection-level failures in a row so far (for the backoff). */
  get outageStreak(): number {
    return this.outages;
  }

  success(): void {
    this.remember({ kind: 'sent' });
    this.bouncesInARow = 0;
    this.rejections = [];
    this.deferred.clear();
    this.outages = 0;
  }

  /** Records a failure; `shrank` says a 421 could still be answered by using fewer connections. */
  failure(kind: FailureKind, subscriberId: number, reason: string, shrank = false): Verdict {
    const { limits } = this;
    switch (kind) {
      case 'sender':
        return { pause: `the server refused the run: ${reason}` };
      case 'outage':
      case 'throttle':
        if (kind === 'throttle' && shrank) return {};
        if (this.outages++ === 0) this.outagesSince = this.clock();
        return this.outages >= limits.pauseAfterOutages && this.clock() - this.outagesSince >= (limits.outageGraceMs ?? 0)
          ? { pause: `cannot reach the server: ${reason} (${count(this.outages, 'try', 'tries')} in a row)` }
          : {};
      case 'bounce': {
        this.remember({ kind, subscriberId });
        this.bouncesInARow++;
        const bounces = this.recent.filter((outcome) => outcome.kind === 'bounce');
        if (this.bouncesInARow > limits.maxBouncesInARow || bounces.length > limits.bounceWindow / 2) {
          const undo = bounces.map((outcome) => (outcome as { subscriberId: number }).subscriberId);
          this.bouncesInARow = 0;
          this.recent.length = 0;
          return {
            pause: `${undo.length} of the last ${count(limits.bounceWindow, 'recipient')} bounced (last: ${reason}); no real list bounces like that, so the relay is taken to be at fault and nobody was marked bounced`,
            undo,
          };
        }
        return {};
      }
      case 'reject':
        this.remember({ kind, subscriberId });
        this.rejections.push(subscriberId);
        if (this.rejections.length >= limits.pauseAfterFailures) {
          const undo = this.rejections;
          this.rejections = [];
          return { pause: `${count(undo.length, 'message')} in a row were refused (last: ${reason})`, undo };
        }
        return {};
      case 'deferred':
        this.remember({ kind, subscriberId });
        this.deferred.add(subscriberId);
        return this.deferred.size >= limits.pauseAfterFailures
          ? { pause: `nothing is getting through: ${count(this.deferred.size, 'message')} in a row were deferred (last: ${reason})` }
          : {};
    }
  }

  private remember(outcome: Outcome): void {
    this.recent.push(outcome);
    if (this.recent.length > this.limits.bounceWindow) this.recent.shift();
  }
}
