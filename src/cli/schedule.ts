import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns/format';
import { pino } from 'pino';
import { messageOf } from '../errors.js';
import { editionDay, resolveWeek } from '../papers/index.js';
import { startBounceWatcher } from '../pipeline/index.js';
import { nextRuns, scheduleZone, startSchedule } from '../schedule/index.js';
import { commandConfig } from './context.js';
import type { GlobalOptions } from './flags.js';
import { print, printJson } from './output.js';
import type { ScheduleOptions } from './register/index.js';

export async function runSchedule(options: ScheduleOptions, global: GlobalOptions): Promise<void> {
  const config = commandConfig(global);
  const zone = scheduleZone(config);
  if (options.next !== undefined) {
    const count = typeof options.next === 'number' ? options.next : 5;
    const runs = nextRuns(config, count).map((date) => ({
      at: date.toISOString(),
      local: format(new TZDate(date.getTime(), zone), 'EEE yyyy-MM-dd HH:mm (xxx)'),
      editionDay: editionDay(date, config.timezone, config.editionDay),
    }));
    const weeklyRuns = nextRuns(config, count, 'weekly').map((date) => ({
      at: date.toISOString(),
      local: format(new TZDate(date.getTime(), zone), 'EEE yyyy-MM-dd HH:mm (xxx)'),
      week: resolveWeek(undefined, date, config.timezone),
    }));
    if (options.json)
      return printJson({ cron: config.schedule.cron, weeklyCron: config.schedule.weeklyCron, timezone: zone, lists: config.schedule.lists, runs, weeklyRuns });
    print(`"${config.schedule.cron}" in ${zone}, lists: ${config.schedule.lists.join(', ')}`);
    for (const run of runs) print(`  ${run.local}  → the ${run.editionDay} edition`);
    if (weeklyRuns.length) {
      print(`Weekly roundup "${config.schedule.weeklyCron}" (to weekly readers):`);
      for (const run of weeklyRuns) print(`  ${run.local}  → the ${run.week} roundup`);
    }
    return;
  }
  // Structured JSON logs on stdout, one line an event, for journald / a log shipper.
  const logger = pino({ name: 'paperboy', base: { pid: process.pid } });
  const schedule = startSchedule({ config, logger });
  const [upcoming] = schedule.nextRuns(1);
  logger.info({ cron: config.schedule.cron, timezone: zone, lists: config.schedule.lists, next: upcoming?.toISOString() }, 'schedule started');
  // Bounces read beside the sends: a store that cannot be opened stops the reading, not the sends.
  const bounceWatcher = config.bounces.imap ? startBounceWatcher(config, logger) : undefined;
  bounceWatcher?.done.catch((error: unknown) => logger.error({ err: messageOf(error) }, 'bounce mailbox: stopped reading it'));
  await new Promise<void>((resolve) => {
    const shutdown = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'stopping: letting a run in progress finish its in-flight messages');
      process.off('SIGINT', shutdown);
      process.off('SIGTERM', shutdown);
      void Promise.all([schedule.stop(), bounceWatcher?.stop().catch(() => undefined)]).then(() => {
        logger.info('schedule stopped');
        resolve();
      });
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  });
}
