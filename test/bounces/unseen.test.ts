import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectRates, ingestSet, type Printed, rates, readExpected } from './fixture-rates.js';

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

  // Issue 18 item 9's targets. Before the families were learnt this set read kind 87%, recipients
  // 86.8%, hard/soft 91.1%, 8 complaints of 12 and one ordinary message as a bounce.
  it('meet the issue 18 rates (kind ≥ 97%, recipients ≥ 97%, hard/soft ≥ 93%)', () => {
    expectRates('held-out bounce mails:', expected, rates(expected, printed), { kind: 97, recipients: 97, hardSoft: 93, statusClass: 95 });
  });

  it('detect every complaint', () => {
    const r = rates(expected, printed);
    expect(r.complaints.length).toBeGreaterThan(0);
    expect(r.complaints.filter((e) => !r.complaintsFound.includes(e)).map((e) => e.file)).toEqual([]);
  });

  it('call no auto-reply or ordinary message a bounce', () => {
    expect(rates(expected, printed).falseBounces.map((e) => e.file)).toEqual([]);
  });
});
