import type { Edition } from '../editions/index.js';
import { PaperboyError } from '../errors.js';
import { type Ledger, runOwner } from '../ledger/index.js';

/**
 * A run's hold on its edition: taken at the start (refused while another run holds it, on a
 * store with one sender at a time), renewed by a heartbeat, given back at the end. A run whose
 * lease another run took over can change nothing: `lost` says so, and the run stops.
 */
export class RunLease {
  lost = false;
  /** Work after each renewal (a sender sharing the edition looks for dead ones then). */
  onBeat: (() => Promise<unknown>) | undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  private constructor(
    readonly owner: string,
    private readonly ledger: Ledger,
    private readonly edition: Edition,
    private readonly leaseMs: number,
    /** Rows a run that stopped left in flight, sent again by this one (they may have gone out already). */
    readonly recovered: number,
  ) {}

  static async start(ledger: Ledger, edition: Edition, options: { leaseMs: number; exclusive: boolean }): Promise<RunLease> {
    const owner = runOwner();
    const started = await ledger.startRun(edition.id, owner, options);
    if (!started.started) {
      throw new PaperboyError('INPUT', `Another paperboy (${started.holder}) is sending the ${edition.day} edition to ${edition.list}; wait for it to finish.`);
    }
    return new RunLease(owner, ledger, edition, options.leaseMs, started.recovered);
  }

  /** Renews the lease every quarter of it (at most every 15 s); `onLost` hears when another run took the edition over. */
  keepAlive(onLost: () => void): void {
    this.heartbeat = setInterval(
      () => {
        void this.ledger
          .renewRun(this.edition.id, this.owner, this.leaseMs)
          .then(
            async ({ held }) => {
              if (!held) {
                this.lost = true;
                return onLost();
              }
              await this.onBeat?.();
            },
            () => undefined, // a store that hiccups: the next beat tries again, the lease has room for it
          )
          .catch(() => undefined);
      },
      Math.min(15_000, this.leaseMs / 4),
    );
    this.heartbeat.unref();
  }

  async end(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.ledger.endRun(this.edition.id, this.owner);
  }
}
