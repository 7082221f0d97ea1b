import { TZDate } from '@date-fns/tz';
import { format, isValid, parseISO, subDays } from 'date-fns';
import { PaperboyError } from '../errors.js';

export type EditionDayRule = 'today' | 'yesterday';

/** The calendar day (YYYY-MM-DD) that `now` falls on in `timeZone`, or the day before. */
export function editionDay(now: Date, timeZone: string, rule: EditionDayRule = 'today'): string {
  const local = new TZDate(now.getTime(), timeZone);
  return format(rule === 'yesterday' ? subDays(local, 1) : local, 'yyyy-MM-dd');
}

/** Checks a user-given day: YYYY-MM-DD and a real calendar date. */
export function parseDay(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    throw new PaperboyError('USAGE', `"${value}" is not a date; write it as YYYY-MM-DD, e.g. 2026-08-21.`);
  }
  const parsed = parseISO(value);
  if (!isValid(parsed) || format(parsed, 'yyyy-MM-dd') !== value) {
    const [year, month, dayOfMonth] = value.split('-').map(Number) as [number, number, number];
    const why = month < 1 || month > 12 ? `there is no month ${month}` : `${format(new Date(year, month - 1, 1), 'MMMM yyyy')} has no day ${dayOfMonth}`;
    throw new PaperboyError('USAGE', `${value} does not exist: ${why}.`);
  }
  return value;
}

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** "Friday, 21 August 2026" for headers and subjects. */
export function longDay(day: string): string {
  return format(parseISO(day), 'EEEE, d MMMM yyyy');
}
