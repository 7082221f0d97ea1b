import { endOfMonth, format, parseISO, startOfMonth } from 'date-fns';
import { isWeekKey, parseEditionKey, weekDays, weekKey } from '../../papers/index.js';

/** The spans the search page offers, as the Daily Papers page does. */
export const periods = ['all', 'day', 'week', 'month'] as const;
export type Period = (typeof periods)[number];

/** The days a search covers (both included); no bounds for every day. */
export interface SearchRange {
  period: Period;
  /** The day the span is around (YYYY-MM-DD); absent for every day. */
  date?: string;
  from?: string;
  to?: string;
}

const validKey = (value: string): string | undefined => {
  try {
    return parseEditionKey(value);
  } catch {
    return undefined;
  }
};

/**
 * The range a request asks for: `day=` an edition's key (a day, or an ISO week as the alert mails
 * link it), else `period=` day, week or month around `date=` (default: `latest`, the newest
 * archived day), else every day. Anything unreadable falls back to every day, never an error:
 * it is a search box.
 */
export function rangeOf(query: { day?: unknown; period?: unknown; date?: unknown }, latest: string | undefined): SearchRange {
  const day = typeof query.day === 'string' ? validKey(query.day) : undefined;
  if (day) {
    if (isWeekKey(day)) {
      const days = weekDays(day);
      return { period: 'week', date: days[0]!, from: days[0]!, to: days[6]! };
    }
    return { period: 'day', date: day, from: day, to: day };
  }
  const period = periods.find((candidate) => candidate === query.period) ?? 'all';
  const asked = typeof query.date === 'string' ? validKey(query.date) : undefined;
  const date = asked && !isWeekKey(asked) ? asked : latest;
  if (period === 'all' || !date) return { period: 'all' };
  if (period === 'day') return { period, date, from: date, to: date };
  if (period === 'week') {
    const days = weekDays(weekKey(date));
    return { period, date, from: days[0]!, to: days[6]! };
  }
  const month = parseISO(date);
  return { period, date, from: format(startOfMonth(month), 'yyyy-MM-dd'), to: format(endOfMonth(month), 'yyyy-MM-dd') };
}
