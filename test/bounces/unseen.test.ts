import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectRates, ingestSet, rates, readExpected, type Printed } from './fixture-rates.js';

/**
 * A second labelled set, test/fixtures/bounces-unseen: real mails of the same public collection
 * that the first set does not hold and that no rule was written from (see its README). Scored the
 * same way as test/fixtures/bounces, so the two sets' rates can be compared: a reader that only
 * learnt the first set's files shows here.
 */
const dir = join(import.meta.dirname, '..', 'fixtures', 'bounces-unseen');
const expected = readExpected(dir);
let printed = new Map<string, Printed>();

beforeAll(async () => {
  printed = await ingestSet(dir);
}, 60_000);

describe('the held-out mails', () => {
  it('prints one line per file', () => expect([...printed.keys()].sort()).toEqual(expected.map((e) => e.file).sort()));

  it('meet the rates measured before the families were learnt (kind 87%, recipients 86%, hard/soft 91%)', () => {
    expectRates('held-out bounce mails:', expected, rates(expected, printed), { kind: 87, recipients: 86, hardSoft: 91, statusClass: 90 });
  });

  it('detect at least the 8 complaints of 12 found before', () => {
    const r = rates(expected, printed);
    expect(r.complaints.length).toBe(12);
    expect(r.complaintsFound.length).toBeGreaterThanOrEqual(8);
  });

  it('call at most the one ordinary message called a bounce before', () => {
    expect(rates(expected, printed).falseBounces.length).toBeLessThanOrEqual(1);
  });
});
