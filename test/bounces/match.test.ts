import { afterAll, describe, expect, it } from 'vitest';
import { findReader, type BounceVerdict } from '../../src/bounces/index.js';
import { storeId } from '../../src/db/index.js';
import { ReturnPathTokens } from '../../src/subscribers/index.js';
import { tempDir } from '../helpers/cli.js';
import { addPeople, openWorld } from '../helpers/delivery.js';

const dir = tempDir('paperboy-bounce-match-');
const world = openWorld(dir.path);
afterAll(() => {
  world.close();
  dir.remove();
});

const complaintQuoting = (messageId: string): BounceVerdict =>
  ({ kind: 'complaint', recipients: [], format: 'arf', originalMessageId: messageId, messageId: '<arf.1@mail.example.net>' }) as unknown as BounceVerdict;

describe('finding the reader of a report by our Message-ID', () => {
  it("reads a daily edition's and a weekly edition's Message-ID alike, and only this store's", async () => {
    const [id] = await addPeople(world, [{ email: 'wes@example.org' }]);
    const context = { subscribers: world.subscribers, tokens: new ReturnPathTokens(world.signer), storeId: storeId(world.db) };
    const daily = await findReader(complaintQuoting(`<2026-08-21.7.${id}.${context.storeId}@example.org>`), undefined, 1, context);
    expect(daily).toEqual({ editionId: 7, subscriberId: id, via: 'message-id' });
    const weekly = await findReader(complaintQuoting(`<2026-W34.8.${id}.${context.storeId}@example.org>`), undefined, 1, context);
    expect(weekly).toEqual({ editionId: 8, subscriberId: id, via: 'message-id' });
    expect(await findReader(complaintQuoting(`<2026-W34.8.${id}.0123456789@example.org>`), undefined, 1, context)).toEqual({});
  });
});
