import { describe, expect, it } from 'vitest';
import { PaperboyError } from '../../src/errors.js';
import { dayRange, editionDay, longDay, parseDay, parseEditionKey, resolveWeek, weekDays, weekKey } from '../../src/papers/day.js';
import { isTimeZone } from '../../src/time-zone.js';

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

describe('ISO weeks (the weekly roundup)', () => {
  it('names the week a day falls in, across a year end', () => {
    expect(weekKey('2026-08-21')).toBe('2026-W34');
    expect(weekKey('2026-08-23')).toBe('2026-W34'); // Sunday ends the week
    expect(weekKey('2026-08-24')).toBe('2026-W35');
    expect(weekKey('2025-12-29')).toBe('2026-W01'); // a Monday of December in next year's week 1
    expect(weekKey('2027-01-01')).toBe('2026-W53');
  });

  it('lists the seven days of a week, Monday first, and refuses a week that does not exist', () => {
    expect(weekDays('2026-W34')).toEqual(['2026-08-17', '2026-08-18', '2026-08-19', '2026-08-20', '2026-08-21', '2026-08-22', '2026-08-23']);
    expect(weekDays('2026-W01')[0]).toBe('2025-12-29');
    expect(() => weekDays('2025-W53')).toThrow(PaperboyError);
    expect(() => weekDays('2026-W00')).toThrow(/is not a week/);
    expect(parseEditionKey('2026-W34')).toBe('2026-W34');
    expect(() => parseEditionKey('2026-W60')).toThrow(PaperboyError);
    expect(parseEditionKey('2026-08-21')).toBe('2026-08-21');
  });

  it('takes the week of --date (a day or a week), else the last complete week in the zone', () => {
    expect(resolveWeek('2026-08-19', new Date(), 'UTC')).toBe('2026-W34');
    expect(resolveWeek('2026-W30', new Date(), 'UTC')).toBe('2026-W30');
    expect(resolveWeek(undefined, new Date('2026-08-24T06:00:00Z'), 'UTC')).toBe('2026-W34'); // Monday: last week is complete
    expect(resolveWeek(undefined, new Date('2026-08-23T20:00:00Z'), 'UTC')).toBe('2026-W33'); // Sunday: this week is not
    expect(resolveWeek(undefined, new Date('2026-08-23T23:00:00Z'), 'Asia/Tokyo')).toBe('2026-W34'); // already Monday in Tokyo
    expect(() => resolveWeek('2026-13-01', new Date(), 'UTC')).toThrow(PaperboyError);
  });

  it('writes the span of days as people do', () => {
    expect(dayRange('2026-08-17', '2026-08-21')).toBe('17–21 Aug');
    expect(dayRange('2026-08-31', '2026-09-04')).toBe('31 Aug – 4 Sep');
    expect(dayRange('2025-12-29', '2026-01-02')).toBe('29 Dec 2025 – 2 Jan 2026');
    expect(dayRange('2026-08-21', '2026-08-21')).toBe('21 Aug');
  });

  it('names the year in the span when asked, once, or twice across a new year', () => {
    expect(dayRange('2026-08-17', '2026-08-21', true)).toBe('17–21 Aug 2026');
    expect(dayRange('2026-08-31', '2026-09-04', true)).toBe('31 Aug – 4 Sep 2026');
    expect(dayRange('2025-12-29', '2026-01-02', true)).toBe('29 Dec 2025 – 2 Jan 2026');
    expect(dayRange('2026-08-21', '2026-08-21', true)).toBe('21 Aug 2026');
  });
});
