import { newSecret } from './sessions.js';
import type { AdminAuthStore } from './store.js';

/** The window the limit counts failed sign-ins in. */
export const attemptWindowMs = 60_000;

/** The keys a sign-in attempt counts under: the client's address and the account it names. */
export const attemptKeys = (ip: string, account?: string): string[] => [`ip:${ip}`, ...(account === undefined ? [] : [`account:${account.slice(0, 200)}`])];

export interface Attempt {
  /** Too many failures under one of its keys within the minute: refuse it without checking anything. */
  refused: boolean;
  /** The check passed: the attempt is not a failure. */
  succeeded(): Promise<void>;
}

/**
 * Starts a sign-in attempt under the limit of `perMinute` failures a minute per key. The attempt
 * is noted before its password is checked and taken back when it succeeds, so many attempts sent
 * at once cannot all pass the count before any has failed. A refused attempt is taken back too:
 * the limit counts what was checked, and an attacker who keeps knocking does not keep the real
 * operator out for longer than a minute after they stop.
 */
export async function startAttempt(store: AdminAuthStore, keys: readonly string[], now: Date, perMinute: number): Promise<Attempt> {
  const id = newSecret();
  const attempts = await store.noteAttempt(id, keys, now, new Date(now.getTime() - attemptWindowMs));
  const succeeded = () => store.forgetAttempt(id);
  if (attempts > perMinute) {
    await succeeded();
    return { refused: true, succeeded: async () => undefined };
  }
  return { refused: false, succeeded };
}
