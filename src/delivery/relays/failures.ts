import { messageOf } from '../../errors.js';
import { classifyFailure } from '../failures.js';

/** Stages that end before MAIL FROM: a failure there sent nothing of the message. */
const beforeTheMessage = /^(CONN|GREETING|EHLO|HELO|STARTTLS|AUTH)/i;

interface RelayError {
  nothingSent?: boolean;
  command?: string;
  code?: string;
  responseCode?: number;
  response?: string;
}

/**
 * Nothing of the message can have reached the relay. A transport that knows says so with
 * `nothingSent` (the SMTP pool does); otherwise the stage tells: before MAIL FROM, or given up
 * while waiting for a connection (EABORT).
 */
export function nothingSent(error: unknown): boolean {
  const e = (error ?? {}) as RelayError;
  if (typeof e.nothingSent === 'boolean') return e.nothingSent;
  return e.code === 'EABORT' || beforeTheMessage.test(e.command ?? '');
}

/** The relay cannot be reached and none of the message went out: it may go through another relay at once. */
export const unreachable = (error: unknown): boolean => classifyFailure(error).kind === 'outage' && nothingSent(error);

/** The relay asks to be sent less: a 421, or a 4.7.x deferral (rate limits, "try again later"). */
export function throttling(error: unknown): boolean {
  const e = (error ?? {}) as RelayError;
  return e.responseCode === 421 || (e.responseCode !== undefined && e.responseCode < 500 && /\b4\.7\.\d{1,3}\b/.test(e.response ?? messageOf(error)));
}

/** The error with a `relay` property naming where it came from (a copy when it cannot take one). */
export function fromRelay(error: unknown, relay: string): Error & { relay: string } {
  if (error instanceof Error && Object.isExtensible(error)) return Object.assign(error, { relay });
  return Object.assign(new Error(messageOf(error)), typeof error === 'object' ? error : {}, { relay });
}
