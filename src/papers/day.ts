import { TZDate } from '@date-fns/tz';
import { addDays } from 'date-fns/addDays';
import { format } from 'date-fns/format';
import { getISOWeek } from 'date-fns/getISOWeek';
import { getISOWeeksInYear } from 'date-fns/getISOWeeksInYear';
import { getISOWeekYear } from 'date-fns/getISOWeekYear';
import { isValid } from 'date-fns/isValid';
import { parseISO } from 'date-fns/parseISO';
import { setISOWeek } from 'date-fns/setISOWeek';
import { startOfISOWeek } from 'date-fns/startOfISOWeek';
import { subDays } from 'date-fns/subDays';
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

/** "Friday, 21 August 2026" for headers and subjects. */
export function longDay(day: string): string {
  return format(parseISO(day), 'EEEE, d MMMM yyyy');
}

/** A weekly edition's key: the ISO week, "2026-W34" (Monday to Sunday); "2026-w34" is read too, and stored as "2026-W34". */
export const weekKeyPattern = /^(\d{4})-W(\d{2})$/i;

export const isWeekKey = (key: string): boolean => weekKeyPattern.test(key);

/** The ISO week a day falls in, as a key: 2026-08-21 → "2026-W34". */
export function weekKey(day: string): string {
  const date = parseISO(day);
  return `${getISOWeekYear(date)}-W${String(getISOWeek(date)).padStart(2, '0')}`;
}

/** The seven days (Monday first) of a week key, checked: "2026-W54" does not exist. */
export function weekDays(key: string): string[] {
  const match = weekKeyPattern.exec(key);
  const year = Number(match?.[1]);
  const week = Number(match?.[2]);
  const fourthOfJanuary = new Date(year, 0, 4); // always in ISO week 1
  if (!match || week < 1 || week > getISOWeeksInYear(fourthOfJanuary)) {
    throw new PaperboyError('USAGE', `"${key}" is not a week; write a day of it as YYYY-MM-DD, or the ISO week as YYYY-Www, e.g. 2026-W34.`);
  }
  const monday = startOfISOWeek(setISOWeek(fourthOfJanuary, week));
  return Array.from({ length: 7 }, (_, offset) => format(addDays(monday, offset), 'yyyy-MM-dd'));
}

/** The week a `--weekly` command means: the one containing --date (a day or a week key), else the last complete week in `timeZone`. */
export function resolveWeek(date: string | undefined, now: Date, timeZone: string): string {
  if (date) return isWeekKey(date) ? parseEditionKey(date) : weekKey(parseDay(date));
  const today = editionDay(now, timeZone);
  return weekKey(format(subDays(parseISO(today), 7), 'yyyy-MM-dd'));
}

/** A day or week key a person typed (editions show, the archive), checked. */
export function parseEditionKey(value: string): string {
  if (!isWeekKey(value)) return parseDay(value);
  weekDays(value); // refuses a week that does not exist
  return value.toUpperCase();
}

/**
 * "17–21 Aug", "31 Aug – 4 Sep", "29 Dec 2025 – 2 Jan 2026": the span of days a weekly edition's
 * papers came from; `withYear` names the year in every case ("17–21 Aug 2026").
 */
export function dayRange(first: string, last: string, withYear = false): string {
  const [a, b] = [parseISO(first), parseISO(last)];
  if (a.getFullYear() !== b.getFullYear()) return `${format(a, 'd MMM yyyy')} – ${format(b, 'd MMM yyyy')}`;
  const year = withYear ? ` ${format(b, 'yyyy')}` : '';
  if (first === last) return `${format(a, 'd MMM')}${year}`;
  if (a.getMonth() !== b.getMonth()) return `${format(a, 'd MMM')} – ${format(b, 'd MMM')}${year}`;
  return `${format(a, 'd')}–${format(b, 'd MMM')}${year}`;
}

/** How an edition key reads in a list: "Friday, 21 August 2026", or "Week of 17 August 2026" for a weekly one. */
export function editionTitle(key: string): string {
  return isWeekKey(key) ? `Week of ${format(parseISO(weekDays(key)[0]!), 'd MMMM yyyy')}` : longDay(key);
}
