import type { Command } from 'commander';
import { globalsOf, jsonFlag, wholeNumber } from '../flags.js';

export interface ScheduleOptions {
  next?: number | boolean;
  json?: boolean;
}

export function registerSchedule(program: Command): void {
  program
    .command('schedule')
    .description('send on schedule.cron, and the weekly roundup on schedule.weeklyCron; read bounces.imap if set (no overlapping runs, stale runs skipped)')
    .option('--next [n]', 'print the next planned runs and exit', wholeNumber())
    .addOption(jsonFlag('with --next: print JSON'))
    .action(async (options: ScheduleOptions) => (await import('../schedule.js')).runSchedule(options, globalsOf(program)));
}
