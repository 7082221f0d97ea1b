/** The day `days` before `day` (both YYYY-MM-DD), on the calendar alone: no time zone enters. */
export function daysBefore(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}
