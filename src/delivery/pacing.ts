import { sleep } from '../sleep.js';

/** Spaces the sends of a run: wait() resolves when the next message may go. */
export interface Pacer {
  wait(): Promise<void>;
}

const unpaced: Pacer = { wait: async () => {} };

/** One sender alone on the edition: `perSecond` spaced by this process's clock. */
export function localPacer(perSecond: number): Pacer {
  if (perSecond <= 0) return unpaced;
  const interval = 1000 / perSecond;
  let next = performance.now();
  return {
    async wait() {
      const now = performance.now();
      const wait = next - now;
      next = Math.max(now, next) + interval;
      if (wait > 0) await sleep(wait);
    },
  };
}

/**
 * Senders sharing an edition (PostgreSQL): `perSecond` for all of them together from the first
 * second. Slots come from the store (`take`: count, interval → how long until the first), a
 * quarter of a second's worth at a time, so the store is asked a few times a second, not per message.
 */
export function sharedPacer(take: (count: number, intervalMs: number) => Promise<number>, perSecond: number): Pacer {
  if (perSecond <= 0) return unpaced;
  const interval = 1000 / perSecond;
  const batch = Math.max(1, Math.ceil(perSecond / 4));
  const slots: number[] = [];
  let taking: Promise<void> | undefined;
  const refill = async () => {
    const wait = await take(batch, interval);
    const first = performance.now() + wait;
    for (let i = 0; i < batch; i++) slots.push(first + i * interval);
  };
  return {
    async wait() {
      while (slots.length === 0) await (taking ??= refill().finally(() => (taking = undefined)));
      const wait = slots.shift()! - performance.now();
      if (wait > 0) await sleep(wait);
    },
  };
}
