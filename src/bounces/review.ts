import { type StoredBounceEvent, waitingActions } from './events.js';
import { act, consequence, type IngestDeps } from './ingest.js';

/** What became of one event the operator applied or dismissed. */
export interface Reviewed {
  id: number;
  email?: string;
  /** The action now stored, or why nothing changed. */
  outcome: StoredBounceEvent['action'] | 'not found' | 'not waiting';
}

async function eachWaiting(ids: readonly number[], deps: IngestDeps, review: (event: StoredBounceEvent) => Promise<Reviewed>): Promise<Reviewed[]> {
  const found = new Map((await deps.bounces.byIds(ids)).map((event) => [event.id, event]));
  const out: Reviewed[] = [];
  for (const id of ids) {
    const event = found.get(id);
    if (!event) out.push({ id, outcome: 'not found' });
    else if (!waitingActions.includes(event.action) || event.subscriberId === undefined)
      out.push({ id, ...(event.email ? { email: event.email } : {}), outcome: 'not waiting' });
    else out.push(await review(event));
  }
  return out;
}

/**
 * Applies events held back (unverified, or held by the inbound breaker) as the operator decided:
 * each does what it would have done on arrival, judged now (a soft bounce counts towards the
 * limit as of today), without the breaker, which is the operator's to overrule.
 */
export function applyEvents(ids: readonly number[], deps: IngestDeps): Promise<Reviewed[]> {
  const now = (deps.now ?? (() => new Date()))();
  return eachWaiting(ids, deps, async (event) => {
    const reader = { subscriberId: event.subscriberId!, ...(event.editionId !== undefined ? { editionId: event.editionId } : {}) };
    const action = await consequence(event.kind, { ...(event.hard !== undefined ? { hard: event.hard } : {}) }, reader, deps, now);
    const changed = await deps.bounces.review(event.id, action, now.toISOString());
    if (changed) await act(action, reader.subscriberId, deps.subscribers);
    return { id: event.id, ...(event.email ? { email: event.email } : {}), outcome: changed ? action : 'not waiting' };
  });
}

/** Drops events held back: they stay on record as dismissed and change nobody. */
export function dismissEvents(ids: readonly number[], deps: IngestDeps): Promise<Reviewed[]> {
  const now = (deps.now ?? (() => new Date()))();
  return eachWaiting(ids, deps, async (event) => {
    const changed = await deps.bounces.review(event.id, 'dismissed', now.toISOString());
    return { id: event.id, ...(event.email ? { email: event.email } : {}), outcome: changed ? 'dismissed' : 'not waiting' };
  });
}
