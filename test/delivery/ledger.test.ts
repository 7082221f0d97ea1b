import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { senderDomain } from '../../src/delivery/index.js';
import { dailyAudience, runOwner } from '../../src/ledger/index.js';
import { addReaders, ledgerRows, openWorld, sampleEdition } from '../helpers/delivery.js';
import { tempDir } from '../helpers/files.js';

const tmp = tempDir('paperboy-ledger-');
afterAll(() => tmp.remove());

describe('ledger rows belong to the run that claimed them', () => {
  it('a run whose lease ran out and was taken over can change nothing, and learns it lost', async () => {
    const world = openWorld(join(tmp.path, 'lease'));
    try {
      const [first, second, third] = await addReaders(world, 3);
      const edition = await sampleEdition(world);
      await world.ledger.enqueue(edition.id, 'default', senderDomain(world.config), dailyAudience);
      const stalled = runOwner();
      expect(await world.ledger.startRun(edition.id, stalled, { leaseMs: 10_000, exclusive: true })).toEqual({ started: true, recovered: 0, senders: 1 });
      expect((await world.ledger.reserve(edition.id, stalled, 10, new Date(), 0)).map((row) => row.subscriberId)).toEqual([first, second, third]);
      expect(await world.ledger.claim(edition.id, first!, 'default', stalled)).toBe('claimed');

      const other = runOwner();
      const refused = await world.ledger.startRun(edition.id, other, { leaseMs: 10_000, exclusive: true });
      expect(refused).toEqual({ started: false, holder: stalled });
      await world.ledger.renewRun(edition.id, stalled, -1000); // its lease lapses (set in the past: no waiting on the clock)
      expect(await world.ledger.startRun(edition.id, other, { leaseMs: 10_000, exclusive: true })).toEqual({ started: true, recovered: 1, senders: 1 });
      expect((await world.ledger.reserve(edition.id, other, 10, new Date(), 0)).map((row) => row.subscriberId)).toEqual([first, second, third]);
      expect(await world.ledger.claim(edition.id, first!, 'default', other)).toBe('claimed');
      expect(await world.ledger.markSent(edition.id, first!, other)).toBe(true);

      // The stalled run wakes up: nothing it does reaches the ledger.
      expect(await world.ledger.markSent(edition.id, first!, stalled)).toBe(false);
      expect(await world.ledger.markWaiting(edition.id, first!, stalled, { kind: 'deferred', reason: '451', at: new Date(), spendAttempt: true })).toBe(false);
      expect(await world.ledger.markFailed(edition.id, first!, stalled, { kind: 'bounce', reason: '550' })).toBe(false);
      expect(await world.ledger.claim(edition.id, second!, 'default', stalled)).toBe('lost');
      expect(await world.ledger.renewRun(edition.id, stalled, 10_000)).toEqual({ held: false, senders: 0 });
      expect(ledgerRows(world.db, edition.id).map((row) => row.status)).toEqual(['sent', 'pending', 'pending']);
      await world.ledger.endRun(edition.id, other);
      expect(world.db.prepare('SELECT count(*) AS n FROM deliveries WHERE claimed_by IS NOT NULL AND status = ?').get('pending')).toEqual({ n: 0 });
    } finally {
      world.close();
    }
  });
});
