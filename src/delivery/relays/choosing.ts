import type { RelayHealth } from './health.js';

/** What the chooser needs of a relay. */
export interface Choosable {
  name: string;
  health: RelayHealth;
  /** The recipient domains it serves (lower-case); absent: any domain. */
  domains?: readonly string[] | undefined;
}

/**
 * Picks the relay for each message. The candidates, in order, until one group has a relay that
 * is up: the relays that list the recipient's domain; then the general ones (no `domains`); then
 * every relay, so mail stops only when no relay at all is left. Within a group, smooth weighted
 * round-robin (nginx's): every relay gains its weight, the one with the most goes and gives back
 * the group's total, so 3:1 comes out as A A B A, not A A A B.
 */
export class RelayChooser<R extends Choosable> {
  private readonly general: R[];
  /** Each group's running counts, by the names in it: a group changes as relays go down and come back. */
  private readonly current = new Map<string, Map<string, number>>();

  constructor(private readonly relays: readonly R[]) {
    this.general = relays.filter((relay) => !relay.domains);
  }

  /** The relay for a message to `domain` that has not tried those in `tried`, and whether it goes as that relay's probe. */
  choose(domain: string, tried: ReadonlySet<string> = new Set()): { relay: R; probe: boolean } | undefined {
    for (const group of this.groupsFor(domain)) {
      const open = group.filter((relay) => !tried.has(relay.name) && relay.health.availability() !== undefined);
      if (open.length === 0) continue;
      // A relay whose cool-off is over gets the next message as its probe: one message decides whether it is back.
      const probing = open.find((relay) => relay.health.availability() === 'probe');
      if (probing) {
        probing.health.startProbe();
        return { relay: probing, probe: true };
      }
      return { relay: this.weighted(open), probe: false };
    }
    return undefined;
  }

  private groupsFor(domain: string): R[][] {
    const listing = this.relays.filter((relay) => relay.domains?.includes(domain));
    return [listing, this.general, [...this.relays]].filter((group) => group.length > 0);
  }

  private weighted(open: readonly R[]): R {
    const key = open.map((relay) => relay.name).join('\u0000');
    let counts = this.current.get(key);
    if (!counts) this.current.set(key, (counts = new Map()));
    let total = 0;
    let best: R | undefined;
    for (const relay of open) {
      const gained = (counts.get(relay.name) ?? 0) + relay.health.weight;
      counts.set(relay.name, gained);
      total += relay.health.weight;
      if (!best || gained > counts.get(best.name)!) best = relay;
    }
    counts.set(best!.name, counts.get(best!.name)! - total);
    return best!;
  }
}
