import { PaperboyError } from '../errors.js';
import { type Config, defaultTransport } from './schema.js';

/** A relay of `delivery.relays` with its defaults filled in. */
export interface Relay {
  name: string;
  /** A transport URL as `transport` takes it. */
  url: string;
  weight: number;
  maxConnections: number;
  /** Messages per second through this relay; 0 for no limit. */
  rateLimit: number;
  /** The recipient domains it serves, lower-cased; absent for a relay that takes any domain. */
  domains?: readonly string[];
}

/** A relay's name when its config gives none: host:port for SMTP (never the user or password), the URL itself otherwise. */
export function defaultRelayName(url: string): string {
  if (!/^smtps?:\/\//.test(url)) return url;
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || (parsed.protocol === 'smtps:' ? '465' : '587')}`;
  } catch {
    return url.replace(/^([^:/]*:\/\/).*@/, '$1***@'); // not a URL: the transport says so when it opens
  }
}

/** The configured relays, resolved; empty when mail goes through `transport` alone. */
export function relaysOf(config: Readonly<Config>): Relay[] {
  return (config.delivery.relays ?? []).map((relay) => ({
    name: relay.name ?? defaultRelayName(relay.url),
    url: relay.url,
    weight: relay.weight,
    maxConnections: relay.maxConnections ?? config.delivery.maxConnections,
    rateLimit: relay.rateLimit,
    ...(relay.domains ? { domains: relay.domains.map((domain) => domain.trim().toLowerCase()) } : {}),
  }));
}

/** Every transport URL mail may go through: the relays', or `transport`. */
export const transportSpecs = (config: Readonly<Config>): string[] => {
  const relays = config.delivery.relays ?? [];
  return relays.length > 0 ? relays.map((relay) => relay.url) : [config.transport];
};

/** What the schema alone cannot check: one way to say where mail goes, and relays told apart by name. */
export function checkRelays(config: Readonly<Config>, originOf: (path: string) => string): void {
  const relays = relaysOf(config);
  if (relays.length === 0) return;
  if (config.transport !== defaultTransport) {
    throw new PaperboyError(
      'CONFIG',
      `Both "transport" (from ${originOf('transport')}) and "delivery.relays" (from ${originOf('delivery.relays')}) are set; use one: delivery.relays for several relays, transport for one.`,
    );
  }
  const seen = new Set<string>();
  for (const relay of relays) {
    if (seen.has(relay.name)) {
      throw new PaperboyError(
        'CONFIG',
        `Two relays of "delivery.relays" (from ${originOf('delivery.relays')}) are named "${relay.name}"; give each a "name" of its own.`,
      );
    }
    seen.add(relay.name);
  }
}
