import { firstAddress } from './addresses.js';

/**
 * Our own return path as this report received it: the envelope recipient (a VERP address such
 * as `bounces+TOKEN@example.org` survives here even when the report quotes nothing). Postfix
 * writes X-Original-To, Exim Envelope-To; Delivered-To headers stack up, the lowest being the
 * first delivery; To is the report's header recipient, usually the same address.
 */
export function envelopeRecipient(headers: Map<string, string[]>): string | undefined {
  return (
    firstAddress(headers.get('x-original-to')?.[0]) ??
    firstAddress(headers.get('envelope-to')?.[0]) ??
    firstAddress(headers.get('delivered-to')?.at(-1)) ??
    firstAddress(headers.get('to')?.[0])
  );
}
