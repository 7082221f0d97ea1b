/** "1 row", "2 rows": a count with its noun in the right number (give the plural when it is not +s). */
export const count = (n: number, singular: string, plural = `${singular}s`): string => `${n} ${n === 1 ? singular : plural}`;
