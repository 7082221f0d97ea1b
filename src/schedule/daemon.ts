import cron, { type Logger as CronLogger } from 'node-cron';
import type { Logger } from 'pino';
import { originOf, type Config } from '../config/index.js';
import { PaperboyError, isPaperboyError, messageOf } from '../errors.js';
import { deliverEdition, type DeliverResult } from '../pipeline/index.js';
import { planRun, scheduleZone } from './plan.js';

export interface ScheduleDeps {
  config: Readonly<Config>;
  logger: Logger;
  /** Injected for tests; the real one delivers through the pipeline. */
  deliver?: typeof deliverEdition;
  now?: () => Date;
}

export interface RunningSchedule {
  nextRuns(count: number): Date[];
  /** Stops the timer and lets a run in progress finish its in-flight messages. */
  stop(): Promise<void>;
}

export function validateCron(expression: string, origin = 'the config'): void {
  if (!cron.validate(expression)) {
    throw new PaperboyError('CONFIG', `schedule.cron "${expression}" (from ${origin}) is not a cron expression; e.g. "0 7 * * 1-5" (07:00 on weekdays).`);
  }
}

/** One tick: plan it, then deliver each scheduled list; every outcome is one structured log line. */
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

/**
 * One tick: plan it, then deliver each scheduled list; every outcome is one structured log line.
 * Messages waiting for a retry are picked up by running the send again at their time, for as
 * long as the tick is not stale (the next cron tick sends the next day, not this one).
 */
export async function runTick(deps: ScheduleDeps, plannedAt: Date, signal: AbortSignal): Promise<void> {
  const { config, logger } = deps;
  const clock = deps.now ?? (() => new Date());
  const plan = planRun(config, plannedAt, clock());
  if (plan.action === 'skip') {
    logger.warn({ plannedAt: plannedAt.toISOString() }, `skipped: ${plan.reason}`);
    return;
  }
  const staleAt = plannedAt.getTime() + config.schedule.staleAfterMinutes * 60_000;
  for (const list of config.schedule.lists) {
    for (let pass = 0; !signal.aborted; pass++) {
      const started = Date.now();
      let retryAt: number | undefined;
      try {
        const result: DeliverResult = await (deps.deliver ?? deliverEdition)(config, { list, date: plan.day, signal });
        if (result.kind === 'sent') {
          const { summary } = result;
          const resume = `paperboy send --list ${list} --date ${plan.day}`; // the daemon's own config and environment: run it where the daemon runs
          logger.info(
            { list, day: plan.day, pass, sent: summary.sent, failed: summary.failed, bounced: summary.bounced, skipped: summary.skipped, complete: summary.complete, paused: summary.paused, nextRetryAt: summary.nextRetryAt, ms: Date.now() - started },
            summary.complete
              ? 'edition delivered'
              : summary.paused
                ? `paused: ${summary.paused}; fix it, then run \`${resume}\``
                : summary.heldByOthers
                  ? 'our share delivered; the other senders are finishing the edition'
                  : `edition partly delivered; \`${resume}\` finishes it`,
          );
          if (!summary.complete && !summary.paused && summary.nextRetryAt) retryAt = Date.parse(summary.nextRetryAt);
        } else {
          logger.info({ list, day: plan.day }, result.kind === 'no-papers' ? 'no papers for the day: nothing sent' : result.kind);
        }
      } catch (error) {
        // A failed list must not stop the daemon or the other lists: log it and go on.
        logger.error({ list, day: plan.day, code: isPaperboyError(error) ? error.code : 'BUG' }, messageOf(error));
      }
      if (retryAt === undefined || retryAt > staleAt) break;
      await sleep(Math.max(0, retryAt - clock().getTime()), signal);
    }
  }
}

/** Starts the cron task: no overlapping runs, in the schedule's time zone. */
export function startSchedule(deps: ScheduleDeps): RunningSchedule {
  const { config } = deps;
  validateCron(config.schedule.cron, originOf(config, 'schedule.cron'));
  const stopping = new AbortController();
  let running: Promise<void> | undefined;
  const task = cron.createTask(
    config.schedule.cron,
    async (context) => {
      running = runTick(deps, context.date, stopping.signal);
      await running;
      running = undefined;
    },
    { timezone: scheduleZone(config), noOverlap: true, name: 'paperboy-send', logger: cronLogger(deps.logger) },
  );
  task.on('execution:overlap', () => deps.logger.warn('skipped: the previous run is still going'));
  task.on('execution:missed', (context) => deps.logger.warn({ plannedAt: context.date.toISOString() }, 'missed a planned run (the process was busy or asleep)'));
  void task.start();
  return {
    nextRuns: (count) => task.getNextRuns(count),
    async stop() {
      stopping.abort();
      await task.stop();
      await running;
      await task.destroy();
    },
  };
}

/**
 * node-cron's own messages into our JSON log instead of coloured lines on stdout. Its warnings
 * repeat events we log ourselves (an overlap, a missed run), so they go to debug.
 */
function cronLogger(logger: Logger): CronLogger {
  const errorOf = (message: string | Error, error?: Error) => ({ err: messageOf(error ?? message) });
  return {
    info: (message) => logger.debug(message),
    warn: (message) => logger.debug(message),
    error: (message, error) => logger.error(errorOf(message, error), 'cron error'),
    debug: (message) => logger.debug(String(message)),
  };
}

/** The next planned runs, without starting anything (for --next). */
export function nextRuns(config: Readonly<Config>, count: number): Date[] {
  validateCron(config.schedule.cron, originOf(config, 'schedule.cron'));
  const task = cron.createTask(config.schedule.cron, () => {}, { timezone: scheduleZone(config) });
  try {
    return task.getNextRuns(count);
  } finally {
    void task.destroy();
  }
}
