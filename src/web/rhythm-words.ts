import type { Frequency, Subscriber } from '../subscribers/index.js';

/** The reader's rhythm; someone removed since their link was made reads as the default, daily. */
export const rhythmOf = (subscriber: Subscriber | undefined): Frequency => subscriber?.preferences.frequency ?? 'daily';

/**
 * What one click on a confirmation page starts, in the reader's rhythm: a weekly or alerts-only
 * reader is never promised a mail every morning. `again` for someone coming back.
 */
export function whatArrives(name: string, rhythm: Frequency, again = false): string {
  const more = again ? ' again' : '';
  if (rhythm === 'weekly') return `One click and ${name} arrives once a week${more}: the week's most upvoted research papers.`;
  if (rhythm === 'alerts') return `One click and ${name} writes${more} when one of your saved searches finds a new paper.`;
  return `One click and ${name} arrives every morning${more}.`;
}

/** When the first mail comes, once the reader is in. */
export function whenNext(name: string, rhythm: Frequency): string {
  if (rhythm === 'weekly') return `The first weekly roundup of ${name} comes next week.`;
  if (rhythm === 'alerts') return `${name} writes when one of your saved searches finds a new paper.`;
  return `The next ${name} comes tomorrow morning.`;
}
