import type { Relay } from '../../config/index.js';
import { classifyFailure } from '../failures.js';
import { domainOf } from '../patterns.js';
import type { OutgoingMessage, RelayReport, SendResult, Transport } from '../transport.js';
import { RelayChooser } from './choosing.js';
import { fromRelay, throttling, unreachable } from './failures.js';
import { RelayHealth } from './health.js';

/** A relay and the transport that reaches it. */
export interface Route {
  relay: Pick<Relay, 'name' | 'weight' | 'domains'>;
  transport: Transport;
}

interface RoutedRelay {
  name: string;
  domains?: readonly string[] | undefined;
  transport: Transport;
  health: RelayHealth;
  /** While it was down, the relays that took messages in its place. */
  shareWentTo: Set<string>;
}

/**
 * Several relays behind one Transport. Each message goes to the relay the chooser picks (weight,
 * recipient domain, health); when that relay cannot be reached and nothing of the message went
 * out, the relay is down for a cool-off and the same message goes at once through another. Only
 * when none is left does send() throw, with the last relay's error, so the run's own pause rules
 * apply. Anything else (a refusal, a deferral, a timeout after the body went out) is thrown as a
 * single transport would, with `relay` naming where it came from.
 */
export function relayRouter(routes: readonly Route[], clock: () => number = Date.now): Transport {
  const relays: RoutedRelay[] = routes.map(({ relay, transport }) => ({
    name: relay.name,
    domains: relay.domains,
    transport,
    health: new RelayHealth(relay.weight, clock),
    shareWentTo: new Set(),
  }));
  const chooser = new RelayChooser(relays);
  // Sends given up on by giveUpWaiting (the run is pausing) fail as they are: not rerouted, no relay marked down.
  let giveUps = 0;
  /** What took a relay down last: thrown again (a copy per send) while every relay is cooling off. */
  let latestDown: Error = new Error('no relay is up');
  const bounds = relays.map((relay) => relay.transport.maxInFlight);
  const maxInFlight = bounds.every((bound) => bound !== undefined) ? bounds.reduce((sum, bound) => sum + bound, 0) : undefined;

  const sendThrough = async (relay: RoutedRelay, probe: boolean, message: OutgoingMessage): Promise<SendResult | { down: Error }> => {
    const round = giveUps;
    try {
      const result = await relay.transport.send(message);
      relay.health.succeeded(probe);
      for (const other of relays) if (other !== relay && !other.health.up) other.shareWentTo.add(relay.name);
      return { ...result, relay: relay.name };
    } catch (thrown) {
      const error = fromRelay(thrown, relay.name);
      if (round !== giveUps) relay.health.probeAbandoned(probe);
      else if (unreachable(error)) {
        relay.health.wentDown(classifyFailure(error).reason, probe);
        latestDown = error;
        return { down: error };
      } else relay.health.answered(probe, throttling(error));
      throw error;
    }
  };

  return {
    name: `relays: ${relays.map((relay) => relay.name).join(', ')}`,
    ...(maxInFlight !== undefined ? { maxInFlight } : {}),
    async send(message: OutgoingMessage): Promise<SendResult> {
      const domain = domainOf(message.envelope.to);
      const tried = new Set<string>();
      let lastDown: Error | undefined;
      for (let choice = chooser.choose(domain, tried); choice; choice = chooser.choose(domain, tried)) {
        tried.add(choice.relay.name);
        const outcome = await sendThrough(choice.relay, choice.probe, message);
        if (!('down' in outcome)) return outcome;
        lastDown = outcome.down;
      }
      throw lastDown ?? Object.assign(new Error(latestDown.message), latestDown);
    },
    giveUpWaiting() {
      giveUps++;
      for (const relay of relays) relay.transport.giveUpWaiting?.();
    },
    async close() {
      const closed = await Promise.allSettled(relays.map((relay) => relay.transport.close?.()));
      const failed = closed.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
    },
    relays: () => relays.map(report),
  };
}

function report(relay: RoutedRelay): RelayReport {
  const { health } = relay;
  if (health.downs === 0 || !health.downReason) return { name: relay.name };
  return { name: relay.name, down: { reason: health.downReason, times: health.downs, upAgain: health.up, shareWentTo: [...relay.shareWentTo] } };
}
