/**
 * The admin side's store (sessions, sign-in links, sign-in attempts, the audit trail): one
 * behaviour on the SQLite file and on a real PostgreSQL server.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AdminAuthStore, attemptKeys, newSecret, secretHash, startAttempt } from '../../src/admin/index.js';
import { type StoreWorld, storeBackends } from '../helpers/store-worlds.js';

const at = (minutes: number) => new Date(Date.parse('2026-08-21T08:00:00Z') + minutes * 60_000);

describe.each(storeBackends())('the admin store on %s', (_backend, open) => {
  let world: StoreWorld;
  let store: AdminAuthStore;
  beforeEach(async () => {
    world = await open();
    store = world.stores.adminAuth;
  });
  afterEach(async () => world.close());

  it('keeps a session until it has been idle too long or its time is up, and sees it on each use', async () => {
    const id = secretHash(newSecret());
    await store.startSession({ idHash: id, account: 'admin', createdAt: at(0), expiresAt: at(60), ip: '192.0.2.1' }, at(-30));
    expect(await store.touchSession(id, at(29), at(-1))).toEqual({ account: 'admin' });
    expect(await store.touchSession(id, at(58), at(28))).toEqual({ account: 'admin' }); // seen at 29: not idle since 28
    expect(await store.touchSession(id, at(59), at(29))).toEqual({ account: 'admin' });
    expect(await store.touchSession(id, at(60), at(30))).toBeUndefined(); // its hour is up
    const idle = secretHash(newSecret());
    await store.startSession({ idHash: idle, account: 'admin', createdAt: at(0), expiresAt: at(60), ip: '192.0.2.1' }, at(-30));
    expect(await store.touchSession(idle, at(31), at(1))).toBeUndefined();
    expect(await store.touchSession(secretHash(newSecret()), at(1), at(-29))).toBeUndefined();
  });

  it('ends a session on sign-out, and drops ended ones when another starts', async () => {
    const [one, two, three] = [newSecret(), newSecret(), newSecret()].map(secretHash) as [string, string, string];
    await store.startSession({ idHash: one, account: 'admin', createdAt: at(0), expiresAt: at(60), ip: '' }, at(-30));
    await store.startSession({ idHash: two, account: 'admin', createdAt: at(0), expiresAt: at(60), ip: '' }, at(-30));
    expect(await store.endSession(one)).toBe(true);
    expect(await store.endSession(one)).toBe(false);
    expect(await store.touchSession(one, at(1), at(-29))).toBeUndefined();
    await store.startSession({ idHash: three, account: 'admin', createdAt: at(61), expiresAt: at(121), ip: '' }, at(31));
    expect(await store.endSession(two)).toBe(false); // ended at 60 and dropped
  });

  it('lets a sign-in link be used once, before it expires', async () => {
    const link = secretHash(newSecret());
    await store.addLink(link, at(0), at(15));
    expect(await Promise.all([store.useLink(link, at(1)), store.useLink(link, at(1))])).toEqual([true, false]);
    expect(await store.useLink(link, at(2))).toBe(false);
    const late = secretHash(newSecret());
    await store.addLink(late, at(0), at(15));
    expect(await store.useLink(late, at(15))).toBe(false);
    expect(await store.useLink(secretHash(newSecret()), at(1))).toBe(false);
  });

  it('counts attempts per key within the window, forgets old ones, and takes one back alone', async () => {
    const keys = attemptKeys('192.0.2.9', 'admin');
    expect(await store.noteAttempt('a1', keys, at(0), at(-1))).toBe(1);
    expect(await store.noteAttempt('a2', attemptKeys('192.0.2.10', 'admin'), at(0), at(-1))).toBe(2); // the account's second
    expect(await store.noteAttempt('a3', attemptKeys('192.0.2.9', 'root'), at(0), at(-1))).toBe(2); // the address's second
    await store.forgetAttempt('a2'); // noted at the same instant as a1: only its own rows go
    expect(await store.noteAttempt('a4', keys, at(0.5), at(-0.5))).toBe(3); // a1, a3 and itself by address
    expect(await store.noteAttempt('a5', keys, at(1.2), at(0.2))).toBe(2); // a1 and a3 fell out of the window
  });

  it('lets at most the limit through when attempts come all at once', async () => {
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => startAttempt(store, attemptKeys('192.0.2.20', 'admin'), at(0), 5)));
    const checked = outcomes.filter((outcome) => !outcome.refused).length;
    expect(checked).toBeLessThanOrEqual(5);
    expect(await store.noteAttempt('after', attemptKeys('192.0.2.20'), at(0.1), at(-0.9))).toBe(checked + 1);
  });

  it('keeps the audit trail, newest first', async () => {
    const unsubscribed = {
      at: at(1).toISOString(),
      account: 'admin',
      ip: '192.0.2.1',
      action: 'reader-unsubscribed',
      target: 'ada@example.org',
      detail: { reason: 'asked by mail' },
    } as const;
    await store.recordAudit({ at: at(0).toISOString(), account: 'admin', ip: '192.0.2.1', action: 'sign-in' });
    await store.recordAudit(unsubscribed);
    const trail = await store.auditTrail(10);
    expect(trail.map(({ id: _id, ...entry }) => entry)).toEqual([
      unsubscribed,
      { at: at(0).toISOString(), account: 'admin', ip: '192.0.2.1', action: 'sign-in', detail: {} },
    ]);
    expect(trail[0]!.id).toBeGreaterThan(trail[1]!.id);
    expect(await store.auditTrail(1)).toHaveLength(1);
  });
});
