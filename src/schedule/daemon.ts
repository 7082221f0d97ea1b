import cron, { type Logger as CronLogger } from 'node-cron';
import type { Logger } from 'pino';
import { type Config, originOf } from '../config/index.js';
import { storeFailure } from '../db/index.js';
import { isPaperboyError, messageOf, PaperboyError } from '../errors.js';
import { isWeekKey } from '../papers/index.js';
import { type DeliverResult, deliverEdition, editionsDueForRetry } from '../pipeline/index.js';
import { sleep } from '../sleep.js';
import { type Cadence, planRun, scheduleZone } from './plan.js';

export interface ScheduleDeps {
  config: Readonly<Config>;
  logger: Logger;
  /** Injected for tests; the real one delivers through the pipeline. */
  deliver?: typeof deliverEdition;
  /** How often to look for messages whose retry is due (deferred past their run); default a minute. */
  retrySweepMs?: number;
  now?: () => Date;
}

export interface RunningSchedule {
  nextRuns(count: number): Date[];
  /** Stops the timer and lets a run in progress finish its in-flight messages. */
  stop(): Promise<void>;
}

export function validateCron(expression: string, origin = 'the config', key = 'schedule.cron'): void {
  if (!cron.validate(expression)) {
    const example = key === 'schedule.weeklyCron' ? '"0 7 * * 1" (07:00 on Mondays), or "" for no weekly roundup' : '"0 7 * * 1-5" (07:00 on weekdays)';
    throw new PaperboyError('CONFIG', `${key} "${expression}" (from ${origin}) is not a cron expression; e.g. ${example}.`);
  }
}

/**
 * One tick: plan it, then deliver each scheduled list; every outcome is one structured log line.
 * Messages waiting for a retry are picked up by running the send again at their time, for as
 * long as the tick is not stale (the next cron tick sends the next day, not this one).
 * `firedAt`: when cron started the tick. Staleness is judged then, so a tick that waited its turn
 * behind another run of this daemon (the weekly roundup behind Monday's daily send) still goes.
 */
export async function runTick(deps: ScheduleDeps, plannedAt: Date, signal: AbortSignal, cadence: Cadence = 'daily', firedAt?: Date): Promise<void> {
  const { config, logger } = deps;
  const clock = deps.now ?? (() => new Date());
  const plan = planRun(config, plannedAt, firedAt ?? clock(), cadence);
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
        const result: DeliverResult = await (deps.deliver ?? deliverEdition)(config, { list, date: plan.day, weekly: cadence === 'weekly', signal });
        if (result.kind === 'sent') {
          const { summary } = result;
          const resume = `paperboy send --list ${list} --date ${plan.day}`; // the daemon's own config and environment: run it where the daemon runs
          logger.info(
            {
              list,
              day: plan.day,
              pass,
              sent: summary.sent,
              failed: summary.failed,
              bounced: summary.bounced,
              skipped: summary.skipped,
              complete: summary.complete,
              paused: summary.paused,
              nextRetryAt: summary.nextRetryAt,
              ms: Date.now() - started,
            },
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
        logError(logger, { list, day: plan.day }, error);
      }
      if (retryAt === undefined || retryAt > staleAt) break;
      await sleep(Math.max(0, retryAt - clock().getTime()), signal);
    }
  }
}

/** An error as one log line: a store that went away is a STORE error like any other, never a "BUG". */
function logError(logger: Logger, fields: Record<string, unknown>, error: unknown): void {
  const known = isPaperboyError(error) ? error : storeFailure(error);
  logger.error({ ...fields, code: known?.code ?? 'BUG' }, known?.message ?? messageOf(error));
}

/**
 * Messages deferred past their run (a greylisting server, a mailbox over quota for a day) wait
 * with a time; this sends them again when it comes, whatever edition they belong to, until their
 * retry window (delivery.retryWindowHours) ends and they fail.
 */
export async function runRetries(deps: ScheduleDeps, signal: AbortSignal): Promise<void> {
  const { config, logger } = deps;
  const now = (deps.now ?? (() => new Date()))();
  let due: { list: string; day: string }[];
  try {
    due = await editionsDueForRetry(config, now);
  } catch (error) {
    return logError(logger, { retries: true }, error);
  }
  for (const { list, day } of due) {
    if (signal.aborted) return;
    try {
      const result = await (deps.deliver ?? deliverEdition)(config, { list, date: day, weekly: isWeekKey(day), signal });
      if (result.kind === 'sent') {
        const { summary } = result;
        logger.info(
          {
            list,
            day,
            retry: true,
            sent: summary.sent,
            failed: summary.failed,
            complete: summary.complete,
            paused: summary.paused,
            nextRetryAt: summary.nextRetryAt,
          },
          'retried the messages that were waiting',
        );
      }
    } catch (error) {
      logError(logger, { list, day, retry: true }, error);
    }
  }
}

/**
 * Starts the cron tasks — the day's edition on schedule.cron, the weekly roundup on
 * schedule.weeklyCron — in the schedule's time zone. Runs never overlap, not even a daily and a
 * weekly one due at the same minute: the second waits for the first (one sender per store here).
 */
export function startSchedule(deps: ScheduleDeps): RunningSchedule {
  const { config } = deps;
  validateCron(config.schedule.cron, originOf(config, 'schedule.cron'));
  if (config.schedule.weeklyCron) validateCron(config.schedule.weeklyCron, originOf(config, 'schedule.weeklyCron'), 'schedule.weeklyCron');
  const stopping = new AbortController();
  let running: Promise<void> = Promise.resolve();
  const task = (expression: string, cadence: Cadence) => {
    const created = cron.createTask(
      expression,
      async (context) => {
        const firedAt = (deps.now ?? (() => new Date()))();
        running = running
          .then(() => runTick(deps, context.date, stopping.signal, cadence, firedAt))
          .catch((error: unknown) => deps.logger.error({ cadence, err: messageOf(error) }, 'the run failed'));
        await running;
      },
      { timezone: scheduleZone(config), noOverlap: true, name: `paperboy-${cadence}`, logger: cronLogger(deps.logger) },
    );
    created.on('execution:overlap', () => deps.logger.warn({ cadence }, 'skipped: the previous run is still going'));
    created.on('execution:missed', (context) =>
      deps.logger.warn({ cadence, plannedAt: context.date.toISOString() }, 'missed a planned run (the process was busy or asleep)'),
    );
    void created.start();
    return created;
  };
  const daily = task(config.schedule.cron, 'daily');
  const weekly = config.schedule.weeklyCron ? task(config.schedule.weeklyCron, 'weekly') : undefined;
  const tasks = weekly ? [daily, weekly] : [daily];
  // Between the editions: messages whose retry came due, one look a minute, never beside a run.
  const sweep = setInterval(() => {
    running = running.then(() => runRetries(deps, stopping.signal)).catch((error: unknown) => logError(deps.logger, { retries: true }, error));
  }, deps.retrySweepMs ?? 60_000);
  sweep.unref();
  return {
    nextRuns: (count) => daily.getNextRuns(count),
    async stop() {
      clearInterval(sweep);
      stopping.abort();
      await Promise.all(tasks.map((each) => each.stop()));
      await running;
      await Promise.all(tasks.map((each) => each.destroy()));
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

/** The next planned runs of schedule.cron (or schedule.weeklyCron), without starting anything (for --next). */
export function nextRuns(config: Readonly<Config>, count: number, cadence: Cadence = 'daily'): Date[] {
  const key = cadence === 'weekly' ? 'schedule.weeklyCron' : 'schedule.cron';
  const expression = cadence === 'weekly' ? config.schedule.weeklyCron : config.schedule.cron;
  if (!expression) return [];
  validateCron(expression, originOf(config, key), key);
  const task = cron.createTask(expression, () => {}, { timezone: scheduleZone(config) });
  try {
    return task.getNextRuns(count);
  } finally {
    void task.destroy();
  }
}
