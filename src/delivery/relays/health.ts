/** How long a relay that went down is left alone before one message probes it; doubled after each failed probe… */
export const firstCoolOffMs = 10_000;
/** …up to this. */
export const longestCoolOffMs = 5 * 60_000;

/** Throttling never takes a relay below this share of its configured weight… */
const weightFloor = 1 / 8;
/** …and each message it accepts gives back this share of it. */
const weightRestoredPerSuccess = 1 / 16;

/**
 * One relay's health within a run: up, or down for a cool-off after which a single probe
 * message decides; and its weight, lowered while it throttles (421, 4.7.x) and given back as it
 * accepts messages. Plain state with an injected clock, so each rule is tested without servers.
 */
export class RelayHealth {
  private coolOffMs = firstCoolOffMs;
  /** When its cool-off ends; undefined while it is up. */
  private downUntil: number | undefined;
  private probing = false;
  /** The weight it gets now. */
  weight: number;
  /** Times it went down in this run. */
  downs = 0;
  /** Why it last went down. */
  downReason?: string;

  constructor(
    readonly configuredWeight: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.weight = configuredWeight;
  }

  get up(): boolean {
    return this.downUntil === undefined;
  }

  /** Whether a message may go through it now: 'up', 'probe' (down, its cool-off over, no probe out yet), or undefined. */
  availability(): 'up' | 'probe' | undefined {
    if (this.downUntil === undefined) return 'up';
    return !this.probing && this.clock() >= this.downUntil ? 'probe' : undefined;
  }

  /** This message is the probe: no other goes through the relay until it is answered. */
  startProbe(): void {
    this.probing = true;
  }

  /** It accepted a message. Only a probe brings a down relay back: a connection opened before it went down proves little. */
  succeeded(probe: boolean): void {
    if (probe) this.backUp();
    this.weight = Math.min(this.configuredWeight, this.weight + this.configuredWeight * weightRestoredPerSuccess);
  }

  /** It answered, with a refusal or a deferral: it is reachable. `throttling` (421, 4.7.x) lowers its weight. */
  answered(probe: boolean, throttling: boolean): void {
    if (probe) this.backUp();
    if (throttling) this.weight = Math.max(this.configuredWeight * weightFloor, this.weight / 2);
  }

  /** It could not be reached. A failed probe doubles the cool-off; sends that were under way when it went down change nothing. */
  wentDown(reason: string, probe: boolean): void {
    if (probe) {
      this.probing = false;
      this.coolOffMs = Math.min(longestCoolOffMs, this.coolOffMs * 2);
    } else if (this.downUntil !== undefined) {
      return;
    } else {
      this.downs++;
      this.coolOffMs = firstCoolOffMs;
    }
    this.downReason = reason;
    this.downUntil = this.clock() + this.coolOffMs;
  }

  /** The probe was given up on (the run paused) before anyone answered: the next message probes again. */
  probeAbandoned(probe: boolean): void {
    if (probe) this.probing = false;
  }

  private backUp(): void {
    this.downUntil = undefined;
    this.probing = false;
    this.coolOffMs = firstCoolOffMs;
  }
}
