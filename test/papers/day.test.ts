import { describe, expect, it } from 'vitest';
import { PaperboyError } from '../../src/errors.js';
import { editionDay, isTimeZone, longDay, parseDay } from '../../src/papers/day.js';

describe('editionDay', () => {
  it('late evening UTC is already tomorrow in Tokyo', () => {
    const now = new Date('2026-08-21T23:30:00Z');
    expect(editionDay(now, 'UTC')).toBe('2026-08-21');
    expect(editionDay(now, 'Asia/Tokyo')).toBe('2026-08-22');
    expect(editionDay(now, 'America/Los_Angeles')).toBe('2026-08-21');
  });

  it('early morning UTC is still yesterday in Los Angeles', () => {
    const now = new Date('2026-08-21T02:00:00Z');
    expect(editionDay(now, 'UTC')).toBe('2026-08-21');
    expect(editionDay(now, 'Asia/Tokyo')).toBe('2026-08-21');
    expect(editionDay(now, 'America/Los_Angeles')).toBe('2026-08-20');
  });

  it("'yesterday' is the local day before, across a month and year end", () => {
    expect(editionDay(new Date('2026-03-01T12:00:00Z'), 'UTC', 'yesterday')).toBe('2026-02-28');
    expect(editionDay(new Date('2026-01-01T03:00:00Z'), 'Asia/Tokyo', 'yesterday')).toBe('2025-12-31');
    expect(editionDay(new Date('2026-01-01T03:00:00Z'), 'America/Los_Angeles', 'yesterday')).toBe('2025-12-30');
    expect(editionDay(new Date('2026-01-01T03:00:00Z'), 'America/Los_Angeles', 'today')).toBe('2025-12-31');
  });
});

describe('parseDay', () => {
  it.each(['2024-02-29', '2026-08-21', '2025-12-31'])('accepts %s', (day) => {
    expect(parseDay(day)).toBe(day);
  });

  it.each(['26-1-1', '2026-1-01', '2026-08-21T00:00', '', 'today'])('rejects %j as not written YYYY-MM-DD', (value) => {
    expect(() => parseDay(value)).toThrow(PaperboyError);
    try {
      parseDay(value);
    } catch (error) {
      expect((error as PaperboyError).code).toBe('USAGE');
      expect((error as PaperboyError).message).toContain(`"${value}" is not a date; write it as YYYY-MM-DD`);
    }
  });

  it.each([
    ['2026-02-30', '2026-02-30 does not exist: February 2026 has no day 30.'],
    ['2025-02-29', '2025-02-29 does not exist: February 2025 has no day 29.'],
    ['2026-13-01', '2026-13-01 does not exist: there is no month 13.'],
    ['2026-04-31', '2026-04-31 does not exist: April 2026 has no day 31.'],
  ])('says %s is written right but does not exist', (value, message) => {
    expect(() => parseDay(value)).toThrow(message);
  });
});

describe('isTimeZone and longDay', () => {
  it.each(['UTC', 'Asia/Tokyo', 'America/Los_Angeles', 'Europe/Berlin'])('%s is a time zone', (zone) => {
    expect(isTimeZone(zone)).toBe(true);
  });

  it.each(['Mars/Olympus_Mons', 'Europe/Berln', 'not a zone'])('%s is not', (zone) => {
    expect(isTimeZone(zone)).toBe(false);
  });

  it('formats a long day', () => {
    expect(longDay('2026-08-21')).toBe('Friday, 21 August 2026');
  });
});
