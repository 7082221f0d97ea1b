import { type Config, type Relay, relaysOf } from '../../config/index.js';
import { PaperboyError } from '../../errors.js';
import type { Transport } from '../transport.js';
import { createTransport, type TransportOptions } from '../transports/index.js';
import { type Route, relayRouter } from './transport.js';

export interface MailTransportOptions {
  /** At most this many connections per relay (the web side's confirmation mails need few); default: each relay's own. */
  connectionsAtMost?: number;
  env?: NodeJS.ProcessEnv;
}

/**
 * The transport mail goes through: the configured relays behind one router (delivery.relays),
 * or `transport` alone. A relay that cannot be opened closes those opened before it and says
 * which it was.
 */
export async function openMailTransport(config: Readonly<Config>, options: MailTransportOptions = {}): Promise<Transport> {
  const shared: TransportOptions = {
    dataDir: config.dataDir,
    maxConnections: options.connectionsAtMost ?? config.delivery.maxConnections,
    rateLimit: 0, // the sender paces the run itself (delivery.rateLimit)
    tlsRejectUnauthorized: config.delivery.tlsRejectUnauthorized,
    ...(config.delivery.dkim ? { dkim: config.delivery.dkim } : {}),
    env: options.env ?? process.env,
  };
  const relays = relaysOf(config);
  if (relays.length === 0) return createTransport(config.transport, shared);
  const routes: Route[] = [];
  try {
    for (const relay of relays) routes.push({ relay, transport: await openRelay(relay, shared, options.connectionsAtMost) });
  } catch (error) {
    await Promise.allSettled(routes.map((route) => route.transport.close?.()));
    throw error;
  }
  return relayRouter(routes);
}

async function openRelay(relay: Relay, shared: TransportOptions, connectionsAtMost = Infinity): Promise<Transport> {
  try {
    return await createTransport(relay.url, { ...shared, maxConnections: Math.min(relay.maxConnections, connectionsAtMost), rateLimit: relay.rateLimit });
  } catch (error) {
    if (error instanceof PaperboyError) throw new PaperboyError(error.code, `Relay "${relay.name}": ${error.message}`);
    throw error;
  }
}
