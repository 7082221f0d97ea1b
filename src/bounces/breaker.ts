import type { Config } from '../config/index.js';
import type { BounceStore } from './events.js';

const hourMs = 3_600_000;
/** How long counts read from the store are trusted before they are read again (other processes act too). */
const freshMs = 5_000;

interface Tally {
  /** Messages of the edition that went out (read once: it only grows while a send goes on, slowly). */
  sent: number;
  acted: number;
  held: number;
  readAt: number;
}

/**
 * The inbound breaker: reports that would take off more than bounces.breaker.editionShare of one
 * edition's readers (never fewer than editionFloor), or more than perHour an hour when they name
 * no edition, are a broken relay, a forwarding loop or an attack rather than the list: from there
 * on, that edition's actions are held until the operator looks (bounces apply / dismiss).
 *
 * Counting in the store for every report made a mailbox of 10,000 bounces quadratic, so the
 * counts are read once, kept up to date with this process's own actions, and read again every
 * few seconds for what other processes (webhooks, another ingest) did meanwhile.
 */
export class InboundBreaker {
  private readonly editions = new Map<number, Tally>();
  private withoutEdition: { count: number; readAt: number } | undefined;

  constructor(
    private readonly limits: Config['bounces']['breaker'],
    private readonly store: Pick<BounceStore, 'editionActions' | 'actedWithoutEdition'>,
  ) {}

  /** Whether an action on a reader of `editionId` (undefined: the report names none) must be held. */
  async holds(editionId: number | undefined, now: Date): Promise<boolean> {
    const { editionShare, editionFloor, perHour } = this.limits;
    if (editionId === undefined) {
      if (!this.withoutEdition || now.getTime() - this.withoutEdition.readAt > freshMs) {
        this.withoutEdition = { count: await this.store.actedWithoutEdition(new Date(now.getTime() - hourMs)), readAt: now.getTime() };
      }
      return this.withoutEdition.count + 1 > perHour;
    }
    let tally = this.editions.get(editionId);
    if (!tally || now.getTime() - tally.readAt > freshMs) {
      tally = { ...(await this.store.editionActions(editionId)), readAt: now.getTime() };
      this.editions.set(editionId, tally);
    }
    return tally.held > 0 || tally.acted + 1 > Math.max(editionFloor, Math.ceil(editionShare * tally.sent));
  }

  /** Counts what this process just did: an action taken (`acted`) or one held. */
  count(editionId: number | undefined, outcome: 'acted' | 'held'): void {
    if (editionId === undefined) {
      if (this.withoutEdition) this.withoutEdition.count++;
      return;
    }
    const tally = this.editions.get(editionId);
    if (tally) tally[outcome]++;
  }
}
