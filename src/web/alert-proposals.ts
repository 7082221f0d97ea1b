import { timingSafeEqual } from 'node:crypto';
import { maxAlerts, normalizeAlerts, type Subscriber, type TokenSigner } from '../subscribers/index.js';
import type { WebDeps } from './context.js';

const macBytes = 18; // as the link tokens: 144 bits, 24 characters
/** 5 alerts of 100 visible characters, JSON-quoted and base64url'd, with room for wide characters. */
const maxPayloadLength = 8000;

const macOf = (signer: TokenSigner, subscriberId: number, payload: string) => signer.digest(`alert-proposal.${subscriberId}.${payload}`).subarray(0, macBytes);

/**
 * Searches proposed to one reader as alerts, for a link's `add=` parameter: the alerts in
 * base64url (a link shows no readable words a stranger typed into the search page's form) and an
 * HMAC over them and the reader, so a proposal made for one reader, or altered, proves nothing.
 * Format: `<base64url of the JSON array>.<mac base64url>`.
 */
export function signProposal(signer: TokenSigner, subscriberId: number, alerts: readonly string[]): string {
  const payload = Buffer.from(JSON.stringify(alerts)).toString('base64url');
  return `${payload}.${macOf(signer, subscriberId, payload).toString('base64url')}`;
}

/** The proposed alerts when `proposal` is genuine, for this reader, and still valid alerts; otherwise undefined. */
export function readProposal(signer: TokenSigner, subscriberId: number, proposal: string): string[] | undefined {
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{24})$/.exec(proposal);
  if (!match || match[1]!.length > maxPayloadLength) return undefined;
  const [, payload, mac] = match as unknown as [string, string, string];
  const given = Buffer.from(mac, 'base64url');
  const expected = macOf(signer, subscriberId, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let alerts: unknown;
  try {
    alerts = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(alerts) || alerts.length === 0 || alerts.length > maxAlerts || !alerts.every((alert) => typeof alert === 'string')) return undefined;
  try {
    // Checked again as any alert is: the rules may have changed since the link was made.
    return normalizeAlerts(alerts);
  } catch {
    return undefined;
  }
}

/** The alerts of `proposed` a reader does not already have (in any case). */
export function newAlerts(current: readonly string[], proposed: readonly string[]): string[] {
  const have = new Set(current.map((alert) => alert.toLowerCase()));
  return proposed.filter((alert) => !have.has(alert.toLowerCase()));
}

/**
 * Adds proposed alerts to a reader's (a pending reader confirming): all of them when they fit
 * as alerts do, none otherwise. Returns those still not among the reader's alerts.
 */
export async function addProposedAlerts(deps: Pick<WebDeps, 'subscribers'>, subscriber: Subscriber, proposed: readonly string[]): Promise<string[]> {
  const current = subscriber.preferences.alerts ?? [];
  const fresh = newAlerts(current, proposed);
  if (fresh.length === 0) return [];
  let alerts: string[];
  try {
    alerts = normalizeAlerts([...current, ...fresh]);
  } catch {
    return fresh; // over the cap: the preferences page lets them choose
  }
  await deps.subscribers.setPreferences(subscriber.id, { ...subscriber.preferences, alerts });
  return [];
}
