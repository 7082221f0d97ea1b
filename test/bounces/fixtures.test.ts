import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BounceVerdict, parseBounce } from '../../src/bounces/index.js';
import { expectRates, ingestSet, type Printed, rates, readExpected } from './fixture-rates.js';

/**
 * The real bounce mails of test/fixtures/bounces (Sisimai's set-of-emails, labelled with Sisimai):
 * the rates the issue asks for, measured through `paperboy bounces ingest --dry-run --json` as a
 * user would run it, and printed so a change in any of them shows.
 */
const dir = join(import.meta.dirname, '..', 'fixtures', 'bounces');
const expected = readExpected(dir);
const verdicts = new Map<string, BounceVerdict>();
/** What the command printed for each file. */
let printed = new Map<string, Printed>();

beforeAll(async () => {
  for (const { file } of expected) verdicts.set(file, await parseBounce(readFileSync(join(dir, 'mail', file))));
  printed = await ingestSet(dir);
}, 60_000);

const verdict = (file: string) => printed.get(file)!;

describe('the fixture mails', () => {
  it('meet the issue 18 rates (kind ≥ 97%, recipients ≥ 97%, hard/soft ≥ 93%)', () => {
    expectRates('bounce fixtures:', expected, rates(expected, printed), { kind: 97, recipients: 97, hardSoft: 93, statusClass: 95 });
  });

  it('detects every complaint', () => {
    const complaints = expected.filter((e) => e.kind === 'complaint');
    expect(complaints.length).toBeGreaterThan(0);
    expect(complaints.filter((e) => verdict(e.file).kind !== 'complaint').map((e) => e.file)).toEqual([]);
  });

  it('calls no auto-reply or ordinary message a bounce', () => {
    const others = expected.filter((e) => e.kind === 'auto-reply' || e.kind === 'not-bounce');
    expect(others.length).toBeGreaterThan(0);
    expect(others.filter((e) => verdict(e.file).kind === 'bounce').map((e) => e.file)).toEqual([]);
  });

  it('prints one line per file', () => expect([...printed.keys()].sort()).toEqual(expected.map((e) => e.file).sort()));

  it('returns recipients lower-cased, without brackets or rfc822; prefixes, and once each', () => {
    for (const v of verdicts.values()) {
      const emails = v.recipients.map((r) => r.email);
      expect(new Set(emails).size).toBe(emails.length);
      for (const r of v.recipients) {
        expect(r.email).toMatch(/^[^\sA-Z<>;]+@[^\sA-Z<>;]+$/);
        expect(r.reason.length).toBeLessThanOrEqual(300);
        expect(r.reason).not.toMatch(/[\r\n]/);
        expect(r.status).toMatch(/^[245]\.\d{1,3}\.\d{1,3}$/);
      }
    }
  });

  it('names a Message-ID for every message, its own or a hash', () => {
    for (const v of verdicts.values()) expect(v.messageId).toMatch(/^<[^<>\s]+>$|^sha256:[0-9a-f]{64}$/);
  });
});
