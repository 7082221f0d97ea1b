import type { Config } from '../config/index.js';
import { editionDay, resolveWeek } from '../papers/index.js';

/** Which schedule a tick comes from: schedule.cron (the day's edition) or schedule.weeklyCron (the roundup). */
export type Cadence = 'daily' | 'weekly';

export type RunPlan = { action: 'run'; day: string } | { action: 'skip'; reason: string };

/**
 * What a scheduled tick should do. `plannedAt` is when cron meant it to run; `now` is when it
 * actually runs. A tick that starts too late (the machine was down or asleep) mails nothing:
 * a digest hours stale is worse than none. The edition day is the config's rule (today or
 * yesterday) in the config's time zone, taken at the planned time, so a slightly late run
 * still sends the day it was meant for.
 */
export function planRun(config: Readonly<Config>, plannedAt: Date, now: Date, cadence: Cadence = 'daily'): RunPlan {
  const lateMinutes = (now.getTime() - plannedAt.getTime()) / 60_000;
  if (lateMinutes > config.schedule.staleAfterMinutes) {
    return {
      action: 'skip',
      reason: `started ${Math.round(lateMinutes)} minutes after its planned time ${plannedAt.toISOString()} (limit ${config.schedule.staleAfterMinutes}); not mailing a stale digest`,
    };
  }
  // The weekly roundup is of the last complete week (Monday to Sunday) before the planned time.
  if (cadence === 'weekly') return { action: 'run', day: resolveWeek(undefined, plannedAt, config.timezone) };
  return { action: 'run', day: editionDay(plannedAt, config.timezone, config.editionDay) };
}

export function scheduleZone(config: Readonly<Config>): string {
  return config.schedule.timezone ?? config.timezone;
}
