import { count } from '../words.js';
import type { FailureKind } from './failures.js';

export interface HealthLimits {
  /** Rejections in a row, or distinct deferred messages with nothing getting through, that pause the run. */
  pauseAfterFailures: number;
  /** Connection-level failures in a row (refused, DNS, TLS, 421 with no connection left to drop) that pause it… */
  pauseAfterOutages: number;
  /** …once they have lasted this long: a burst of 421s while a pool settles on its size is no outage. */
  outageGraceMs?: number;
  /** More bounces than this in a row trip the breaker… */
  maxBouncesInARow: number;
  /** …as do more bounces than maxBounceRate of this many latest outcomes, of the run or of one recipient domain. */
  bounceWindow: number;
  maxBounceRate: number;
  /** Policy refusals (5.7.x) in a row, with nothing accepted between, that make them about us. */
  pauseAfterPolicyRejects: number;
}

export interface Verdict {
  /** Why the run must pause, when it must. */
  pause?: string;
  /** Subscribers whose failed rows (and bounces) of this run were the relay's fault: undo them. */
  undo?: number[];
  /** One recipient domain bounces far beyond a list's normal rate: hold its mail, undo its bounces. */
  pauseDomain?: { domain: string; reason: string; undo: number[] };
}

interface Outcome {
  kind: 'sent' | 'bounce' | 'reject' | 'deferred' | 'policy';
  subscriberId: number;
}

/** The last `size` outcomes, oldest first out. */
class Window {
  private readonly items: Outcome[] = [];
  constructor(private readonly size: number) {}
  push(outcome: Outcome): void {
    this.items.push(outcome);
    if (this.items.length > this.size) this.items.shift();
  }
  of(kind: Outcome['kind']): number[] {
    return this.items.filter((item) => item.kind === kind).map((item) => item.subscriberId);
  }
  clear(): void {
    this.items.length = 0;
  }
}

/**
 * Watches a run's outcomes for the signs that the fault is the relay's, not the readers':
 * bounces at a rate no real list has (a healthy list bounces 0.1–2% of a send), over the run or
 * for one recipient domain; rejections or policy refusals in a row; nothing getting through;
 * the server out of reach. A success resets every streak. Plain logic with no I/O, so each rule
 * is tested on its own.
 */
export class RunHealth {
  private readonly recent: Window;
  /** Per recipient domain, made at its first bounce: a domain that never bounced needs no window. */
  private readonly domains = new Map<string, Window>();
  private readonly pausedDomains = new Set<string>();
  private bouncesInARow = 0;
  private rejections: number[] = [];
  private policyInARow = 0;
  private readonly deferred = new Set<number>();
  private outages = 0;
  private outagesSince = 0;
  private lastSuccessAt: number;
  private successes = 0;

  constructor(
    private readonly limits: HealthLimits,
    private readonly clock: () => number = Date.now,
  ) {
    this.recent = new Window(limits.bounceWindow);
    this.lastSuccessAt = clock();
  }

  /** How many connection-level failures in a row so far (for the backoff). */
  get outageStreak(): number {
    return this.outages;
  }

  /** Messages accepted so far in this run. */
  get accepted(): number {
    return this.successes;
  }

  /** Whether mail to this domain is held for the rest of the run (its bounces tripped the breaker). */
  domainPaused(domain: string): boolean {
    return this.pausedDomains.has(domain);
  }

  success(domain = ''): void {
    const outcome: Outcome = { kind: 'sent', subscriberId: 0 };
    this.recent.push(outcome);
    this.domains.get(domain)?.push(outcome);
    this.successes++;
    this.lastSuccessAt = this.clock();
    this.bouncesInARow = 0;
    this.rejections = [];
    this.policyInARow = 0;
    this.deferred.clear();
    this.outages = 0;
  }

  /**
   * Records a failure. `shrank`: a 421 could still be answered by using fewer connections.
   * `timedOut`: the server did not answer within its timeout, which is as long as an outage
   * needs to be taken for one when nothing else got through meanwhile.
   */
  failure(
    kind: FailureKind,
    subscriberId: number,
    reason: string,
    options: { domain?: string; shrank?: boolean; timedOut?: boolean; timeoutMs?: number } = {},
  ): Verdict {
    const { limits } = this;
    switch (kind) {
      case 'sender':
        return { pause: `the server refused the run: ${reason}` };
      case 'outage':
      case 'throttle':
        return this.outage(kind, reason, options);
      case 'bounce':
        return this.bounce(subscriberId, reason, options.domain ?? '');
      case 'policy': {
        this.remember({ kind, subscriberId }, options.domain ?? '');
        this.policyInARow++;
        const window = this.recent.of('policy').length;
        if (this.policyInARow >= limits.pauseAfterPolicyRejects || window > limits.bounceWindow / 2) {
          return { pause: `the server refused the run: ${count(this.policyInARow, 'recipient')} in a row answered ${reason}` };
        }
        return {};
      }
      case 'reject':
        this.remember({ kind, subscriberId }, options.domain ?? '');
        this.rejections.push(subscriberId);
        if (this.rejections.length >= limits.pauseAfterFailures) {
          const undo = this.rejections;
          this.rejections = [];
          return { pause: `${count(undo.length, 'message')} in a row were refused (last: ${reason})`, undo };
        }
        return {};
      case 'deferred':
        this.remember({ kind, subscriberId }, options.domain ?? '');
        this.deferred.add(subscriberId);
        return this.deferred.size >= limits.pauseAfterFailures
          ? { pause: `nothing is getting through: ${count(this.deferred.size, 'message')} in a row were deferred (last: ${reason})` }
          : {};
    }
  }

  private outage(kind: 'outage' | 'throttle', reason: string, options: { shrank?: boolean; timedOut?: boolean; timeoutMs?: number }): Verdict {
    if (kind === 'throttle' && options.shrank) return {};
    const now = this.clock();
    if (this.outages++ === 0) this.outagesSince = now;
    const lasted = now - this.outagesSince >= (this.limits.outageGraceMs ?? 0);
    // A timeout already waited its whole length: with nothing accepted meanwhile, one is enough.
    const silent = options.timedOut === true && now - this.lastSuccessAt >= (options.timeoutMs ?? 0);
    return (this.outages >= this.limits.pauseAfterOutages && lasted) || silent
      ? { pause: `cannot reach the server: ${reason} (${count(this.outages, 'try', 'tries')} in a row)` }
      : {};
  }

  /** The bounce breaker: a streak, or a rate above maxBounceRate, over the run or one recipient domain. */
  private bounce(subscriberId: number, reason: string, domain: string): Verdict {
    const { limits } = this;
    this.remember({ kind: 'bounce', subscriberId }, domain);
    this.bouncesInARow++;
    const allowed = limits.maxBounceRate * limits.bounceWindow;
    const bounces = this.recent.of('bounce');
    if (this.bouncesInARow > limits.maxBouncesInARow || bounces.length > allowed) {
      this.bouncesInARow = 0;
      this.recent.clear();
      this.domains.clear();
      return {
        pause: `${bounces.length} of the last ${count(limits.bounceWindow, 'recipient')} bounced (last: ${reason}), more than the ${percent(limits.maxBounceRate)} a real list bounces; the relay is taken to be at fault and nobody was marked bounced`,
        undo: bounces,
      };
    }
    const ofDomain = this.domains.get(domain)?.of('bounce') ?? [];
    if (domain && ofDomain.length > allowed && !this.pausedDomains.has(domain)) {
      this.pausedDomains.add(domain);
      this.domains.delete(domain);
      return {
        pauseDomain: {
          domain,
          reason: `${ofDomain.length} of its last ${count(limits.bounceWindow, 'recipient')} bounced (last: ${reason}); its mail waits and nobody there was marked bounced`,
          undo: ofDomain,
        },
      };
    }
    return {};
  }

  private remember(outcome: Outcome, domain: string): void {
    this.recent.push(outcome);
    if (!domain) return;
    let window = this.domains.get(domain);
    if (!window && outcome.kind === 'bounce') this.domains.set(domain, (window = new Window(this.limits.bounceWindow)));
    window?.push(outcome);
  }
}

const percent = (rate: number) => `${Math.round(rate * 1000) / 10}%`;
