/**
 * "1 row", "2 rows": a count with its noun in the right number (give the plural when it is not +s;
 * `shown` writes the number another way, "1.2K", without changing which noun it takes).
 */
export const count = (n: number, singular: string, plural = `${singular}s`, shown: string | number = n): string => `${shown} ${n === 1 ? singular : plural}`;

/** A reason from a server or a report as one short line: whitespace collapsed, at most `max` characters. */
export const shortLine = (text: string, max = 300): string => text.replace(/\s+/g, ' ').trim().slice(0, max);
