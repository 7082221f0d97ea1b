/**
 * Whom a report concerns, and on what evidence: a VERP token, a Message-ID with its MAC (an older
 * edition's ID only when the ledger sent exactly it), a signed unsubscribe link, or the address
 * alone. Everything a stranger can write by hand is `address` or `forged`, never proof.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type BounceVerdict, findReader, readClaims } from '../../src/bounces/index.js';
import { SqliteBounceStore, storeId } from '../../src/stores/sqlite/index.js';
import { MessageIdTokens, ReturnPathTokens } from '../../src/subscribers/index.js';
import { addPeople, openWorld, sampleEdition } from '../helpers/delivery.js';
import { tempDir } from '../helpers/files.js';

const dir = tempDir('paperboy-bounce-match-');
const world = openWorld(dir.path);
afterAll(() => {
  world.close();
  dir.remove();
});

const context = {
  subscribers: world.subscribers,
  bounces: new SqliteBounceStore(world.db),
  signer: world.signer,
  storeId: storeId(world.db),
  returnPath: 'bounces+{token}@example.org',
};
const ids = new MessageIdTokens(world.signer);
const sealed = (day: string, edition: number, reader: number, store = context.storeId) => ids.seal(`<${day}.${edition}.${reader}.${store}.{mac}@example.org>`);

/** The ledger row of a message sent (the frozen Message-ID, as the ledger keeps it). */
const sentRow = (edition: number, reader: number, messageId: string) =>
  world.db.prepare(`INSERT INTO deliveries (edition_id, subscriber_id, status, message_id) VALUES (?, ?, 'sent', ?)`).run(edition, reader, messageId);

const report = (parts: Partial<BounceVerdict>): BounceVerdict => ({ kind: 'bounce', recipients: [], format: 'dsn', messageId: '<r@mx.example.net>', ...parts });

/** The reader and evidence one event of `verdict` gets, for the address it names. */
const readerOf = async (verdict: BounceVerdict, address?: string) => findReader(await readClaims(verdict, context), address, context);

describe('finding the reader of a report', () => {
  it("believes our Message-ID by its MAC, a daily edition's and a weekly one's alike; the edition when the ledger sent it", async () => {
    const [wes] = await addPeople(world, [{ email: 'wes@example.org' }]);
    const edition = await sampleEdition(world, '2026-03-12');
    const messageId = sealed('2026-03-12', edition.id, wes!);
    sentRow(edition.id, wes!, messageId);
    expect(await readerOf(report({ originalMessageId: messageId }))).toEqual({ subscriberId: wes, editionId: edition.id, evidence: 'message-id' });
    // A genuine MAC for a message the ledger does not hold (a store made again with the same secret): the reader, not the edition.
    expect(await readerOf(report({ originalMessageId: sealed('2026-W34', 8, wes!) }), 'Wes@Example.org')).toEqual({
      subscriberId: wes,
      evidence: 'message-id',
    });
  });

  it('takes a Message-ID of our shape that anyone could write for a forgery, never for proof', async () => {
    const [ann, bea] = await addPeople(world, [{ email: 'ann@example.org' }, { email: 'bea@example.org' }]);
    const genuine = sealed('2026-08-21', 7, ann!);
    // Another reader's id with ann's MAC, a MAC of zeros, the old form without a MAC for an edition the ledger never sent:
    // kept against the reader they name, for the operator to see, and never proof.
    const forgeries: [string, number][] = [
      [genuine.replace(`.${ann}.`, `.${bea}.`), bea!],
      [genuine.replace(/\.[0-9a-f]{20}@/, `.${'0'.repeat(20)}@`), ann!],
      [`<2026-08-21.7.${bea}.${context.storeId}@example.org>`, bea!],
    ];
    for (const [forged, named] of forgeries) {
      expect(await readerOf(report({ originalMessageId: forged }))).toEqual({ subscriberId: named, evidence: 'forged' });
      expect(await readerOf(report({ originalMessageId: forged }), 'bea@example.org')).toEqual({ subscriberId: bea, evidence: 'forged' });
    }
    // Another store's Message-ID is someone else's message: nothing claimed, the address alone.
    expect(await readerOf(report({ originalMessageId: sealed('2026-08-21', 7, ann!, '0123456789') }), 'ann@example.org')).toEqual({
      subscriberId: ann,
      evidence: 'address',
    });
  });

  it("believes an older edition's Message-ID without a MAC only when the ledger sent exactly that one", async () => {
    const [old] = await addPeople(world, [{ email: 'old@example.org' }]);
    const edition = await sampleEdition(world, '2026-03-02');
    const legacy = `<2026-03-02.${edition.id}.${old}.${context.storeId}@example.org>`;
    sentRow(edition.id, old!, legacy);
    expect(await readerOf(report({ originalMessageId: legacy }))).toEqual({ subscriberId: old, editionId: edition.id, evidence: 'message-id' });
    expect(await readerOf(report({ originalMessageId: legacy.replace('@example.org', '@example.net') }))).toEqual({ subscriberId: old, evidence: 'forged' });
  });

  it('believes a VERP token that verifies, and calls one that does not forged', async () => {
    const [vic] = await addPeople(world, [{ email: 'vic@example.org' }]);
    const token = new ReturnPathTokens(world.signer).make(vic!, 11);
    expect(await readerOf(report({ returnPath: `bounces+${token}@example.org` }), 'vic@example.org')).toEqual({ subscriberId: vic, evidence: 'return-path' });
    const forged = `bounces+${token.replace(/.$/, (c) => (c === '0' ? '1' : '0'))}@example.org`;
    expect(await readerOf(report({ returnPath: forged }), 'vic@example.org')).toEqual({ subscriberId: vic, evidence: 'forged' });
    expect(await readerOf(report({ returnPath: 'bounces+nonsense@example.org' }), 'vic@example.org')).toEqual({ subscriberId: vic, evidence: 'forged' });
  });

  it('believes the signed unsubscribe link of the returned List-Unsubscribe header', async () => {
    const [una] = await addPeople(world, [{ email: 'una@example.org' }]);
    const link = `<https://news.example.org/unsubscribe?token=${encodeURIComponent(world.signer.sign({ subscriberId: una!, purpose: 'unsubscribe' }))}>`;
    expect(await readerOf(report({ originalHeaders: { 'list-unsubscribe': `${link}, <mailto:u@example.org>` } }))).toEqual({
      subscriberId: una,
      evidence: 'unsubscribe-link',
    });
    // The preferences token of the same reader is not an unsubscribe token.
    const other = `<https://news.example.org/unsubscribe?token=${world.signer.sign({ subscriberId: una!, purpose: 'preferences' })}>`;
    expect(await readerOf(report({ originalHeaders: { 'list-unsubscribe': other } }), 'una@example.org')).toEqual({ subscriberId: una, evidence: 'forged' });
  });

  it("lets a proof cover only its own reader's address: another subscriber named is by address, a stranger a mismatch", async () => {
    const [pia, quin] = await addPeople(world, [{ email: 'pia@example.org' }, { email: 'quin@example.org' }]);
    const verdict = report({ originalMessageId: sealed('2026-08-21', 7, pia!) });
    expect(await readerOf(verdict, 'quin@example.org')).toEqual({ subscriberId: quin, evidence: 'address' });
    expect(await readerOf(verdict, 'forwarded@elsewhere.example')).toEqual({ subscriberId: pia, evidence: 'mismatch' });
  });

  it('calls two proofs naming different readers forged', async () => {
    const [ria, sam] = await addPeople(world, [{ email: 'ria@example.org' }, { email: 'sam@example.org' }]);
    const token = new ReturnPathTokens(world.signer).make(ria!, 7);
    const verdict = report({ returnPath: `bounces+${token}@example.org`, originalMessageId: sealed('2026-08-21', 7, sam!) });
    expect(await readerOf(verdict, 'sam@example.org')).toEqual({ subscriberId: sam, evidence: 'forged' });
  });
});
