import { PaperboyError } from '../errors.js';
import { queryStems } from '../search/index.js';
import { plainTextProblem, visibleLength } from './address.js';
import { type Frequency, frequencies, type Preferences } from './types.js';

/** The most saved searches one reader keeps: each costs a scoring per distinct set, and a mail is no search engine. */
export const maxAlerts = 5;
const maxAlertLength = 100;

/** A preference row as both stores hold it (JSON text in SQLite is parsed before it gets here). */
export interface PreferenceColumns {
  topics: string[];
  max_papers: number | null;
  frequency: string;
  alerts: string[];
}

/** The stored columns as Preferences: frequency and alerts only when not the defaults, so a daily reader's preferences stay as they were. */
export function preferencesOf(row: PreferenceColumns): Preferences {
  return {
    topics: row.topics,
    ...(row.max_papers ? { maxPapers: row.max_papers } : {}),
    ...(row.frequency !== 'daily' ? { frequency: row.frequency as Frequency } : {}),
    ...(row.alerts.length ? { alerts: row.alerts } : {}),
  };
}

export function isFrequency(value: string): value is Frequency {
  return (frequencies as readonly string[]).includes(value);
}

/** A user-given frequency, checked (case and spaces forgiven). */
export function parseFrequency(value: string): Frequency {
  const frequency = value.trim().toLowerCase();
  if (isFrequency(frequency)) return frequency;
  throw new PaperboyError('USAGE', `"${value}" is not a frequency; write one of ${frequencies.join(', ')}.`);
}

/**
 * Saved searches as stored: spaces collapsed, as the reader wrote them (the mail shows “RAG”, not
 * “rag”), duplicates in any case dropped, sorted — readers with the same searches then share one
 * stored text, and the send scores that set once. A search
 * with no word left after stop words (e.g. "the") could never match, so it is refused.
 */
export function normalizeAlerts(values: readonly string[]): string[] {
  for (const value of values) {
    const problem = plainTextProblem(value.replace(/\t/g, ' '), 'the alert');
    if (problem) throw new PaperboyError('USAGE', `${problem.replace(/^t/, 'T')}; type the search in plain words.`);
  }
  // ; and | separate alerts in a CSV cell: inside one they become spaces (a search reads words, not punctuation).
  const byKey = new Map<string, string>();
  for (const value of values) {
    const alert = value.replace(/[\s;|]+/g, ' ').trim();
    if (alert && !byKey.has(alert.toLowerCase())) byKey.set(alert.toLowerCase(), alert);
  }
  const alerts = [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, alert]) => alert);
  if (alerts.length > maxAlerts) {
    throw new PaperboyError('USAGE', `${alerts.length} alerts given; a reader keeps at most ${maxAlerts}. Drop some and try again.`);
  }
  for (const alert of alerts) {
    if (visibleLength(alert) > maxAlertLength)
      throw new PaperboyError('USAGE', `The alert "${[...alert].slice(0, 40).join('')}…" is longer than ${maxAlertLength} characters; shorten it.`);
    if (queryStems(alert).length === 0)
      throw new PaperboyError('USAGE', `The alert "${alert}" has no word to search for (only stop words); name the subject, e.g. "agent".`);
  }
  return alerts;
}
