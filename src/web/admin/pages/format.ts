import { percent } from '../../../bounces/index.js';

const numbers = new Intl.NumberFormat('en-US');

/** A count as people read it: 1,234,567. */
export const number = (n: number): string => numbers.format(n);

/** `part` of `whole` as a percentage, or a dash when there is no whole to speak of. */
export const share = (part: number, whole: number): string => (whole > 0 ? percent(part / whole) : '—');

/** An ISO time as a short UTC reading: 2026-08-21 06:00:12 UTC. */
export function utcTime(iso: string | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** How long from one ISO time to another: 42 s, 3 min 5 s, 2 h 4 min. */
export function duration(fromIso: string, toIso: string): string {
  const seconds = Math.max(0, Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
