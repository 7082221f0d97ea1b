import type { ConfirmationLimits } from '../../subscribers/index.js';

/** The times a confirmation slot is judged by: now, a day ago (older sends are forgotten), and one interval ago. */
export const confirmationWindow = (now: Date, limits: ConfirmationLimits) => ({
  at: now.toISOString(),
  dayAgo: new Date(now.getTime() - 86_400_000).toISOString(),
  intervalAgo: new Date(now.getTime() - limits.intervalMinutes * 60_000).toISOString(),
});

/** Whether one more confirmation may go to an address that got `today` in the last day, `recent` of them within the interval. */
export const withinAllowance = (sends: { today: number; recent: number }, limits: ConfirmationLimits): boolean =>
  !(sends.recent > 0 || sends.today >= limits.perDay);
