import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import type { DeliverResult } from '../../src/pipeline/index.js';
import { nextRuns, planRun, runRetries, runTick, startSchedule } from '../../src/schedule/index.js';
import { fixture, tempDir } from '../helpers/cli.js';
import { ledgerStatuses, prepareSend, sendCli, waitFor } from '../helpers/send.js';
import { startSink } from '../helpers/smtp-sink.js';
import { collector } from '../helpers/streams.js';

const config = (flags: Record<string, unknown>) => loadConfig({ env: {}, cwd: '/nonexistent', flags });

describe('planRun (a fake clock)', () => {
  const berlinToday = config({ timezone: 'Europe/Berlin', editionDay: 'today', 'schedule.staleAfterMinutes': 120 });

  it('takes the edition day in the configured zone at the planned time', () => {
    // 23:30 UTC on the 20th is already the 21st in Berlin.
    expect(planRun(berlinToday, new Date('2026-08-20T23:30:00Z'), new Date('2026-08-20T23:31:00Z'))).toEqual({ action: 'run', day: '2026-08-21' });
    const utc = config({ timezone: 'UTC' });
    expect(planRun(utc, new Date('2026-08-20T23:30:00Z'), new Date('2026-08-20T23:31:00Z'))).toEqual({ action: 'run', day: '2026-08-20' });
  });

  it('sends yesterday when the rule says so (the Daily Papers list fills during its day)', () => {
    const yesterday = config({ timezone: 'America/New_York', editionDay: 'yesterday' });
    // 07:00 in New York on the 21st (11:00 UTC) → the 20th.
    expect(planRun(yesterday, new Date('2026-08-21T11:00:00Z'), new Date('2026-08-21T11:00:05Z'))).toEqual({ action: 'run', day: '2026-08-20' });
  });

  it('runs a little late, but skips a run that starts after the stale cutoff', () => {
    const planned = new Date('2026-08-21T05:00:00Z');
    expect(planRun(berlinToday, planned, new Date('2026-08-21T06:59:00Z')).action).toBe('run');
    const late = planRun(berlinToday, planned, new Date('2026-08-21T07:01:00Z'));
    expect(late.action).toBe('skip');
    expect(late.action === 'skip' && late.reason).toContain('121 minutes after its planned time');
  });
});

describe('the weekly roundup on the schedule', () => {
  it('plans the last complete week before the planned time, in the configured zone', () => {
    const berlin = config({ timezone: 'Europe/Berlin' });
    // Monday 24 August 07:00 in Berlin: the week of 17–23 August.
    expect(planRun(berlin, new Date('2026-08-24T05:00:00Z'), new Date('2026-08-24T05:00:01Z'), 'weekly')).toEqual({ action: 'run', day: '2026-W34' });
    // Sunday 23:30 UTC is already Monday in Berlin: the week just ended is complete there.
    expect(planRun(berlin, new Date('2026-08-23T23:30:00Z'), new Date('2026-08-23T23:30:01Z'), 'weekly')).toEqual({ action: 'run', day: '2026-W34' });
    expect(planRun(config({ timezone: 'UTC' }), new Date('2026-08-23T23:30:00Z'), new Date('2026-08-23T23:30:01Z'), 'weekly')).toEqual({
      action: 'run',
      day: '2026-W33',
    });
  });

  it('asks the pipeline for the weekly edition of that week, and lists its next runs (Mondays 07:00 by default)', async () => {
    const asked: { date?: string; weekly?: boolean }[] = [];
    await runTick(
      {
        config: config({}),
        logger: pino(collector().stream),
        now: () => new Date('2026-08-24T07:00:05Z'),
        deliver: async (_config, options) => {
          asked.push({ ...(options.date ? { date: options.date } : {}), ...(options.weekly ? { weekly: options.weekly } : {}) });
          return { kind: 'no-papers', day: options.date ?? '', list: options.list, source: '', droppedAsRecent: 0 };
        },
      },
      new Date('2026-08-24T07:00:00Z'),
      new AbortController().signal,
      'weekly',
    );
    expect(asked).toEqual([{ date: '2026-W34', weekly: true }]);
    const runs = nextRuns(config({}), 2, 'weekly');
    expect(runs.map((run) => [run.getUTCDay(), run.getUTCHours(), run.getUTCMinutes()])).toEqual([
      [1, 7, 0],
      [1, 7, 0],
    ]);
    expect(nextRuns(config({ 'schedule.weeklyCron': '' }), 2, 'weekly')).toEqual([]);
  });

  it('still sends a roundup that waited hours behind the daily run: staleness is judged when cron fired it', async () => {
    const asked: string[] = [];
    const deliver = async (_config: unknown, options: { list: string; date?: string }): Promise<DeliverResult> => {
      asked.push(options.date ?? '');
      return { kind: 'no-papers', day: options.date ?? '', list: options.list, source: '', droppedAsRecent: 0 };
    };
    const planned = new Date('2026-08-24T07:00:00Z');
    const deps = {
      config: config({ 'schedule.staleAfterMinutes': 180 }),
      logger: pino(collector().stream),
      now: () => new Date('2026-08-24T11:00:00Z'),
      deliver,
    };
    await runTick(deps, planned, new AbortController().signal, 'weekly', new Date('2026-08-24T07:00:01Z'));
    expect(asked).toEqual(['2026-W34']);
    await runTick(deps, planned, new AbortController().signal, 'weekly'); // fired four hours late: the machine was down
    expect(asked).toEqual(['2026-W34']);
  });

  it('refuses a weekly cron that is not one, naming the key', () => {
    expect(() => nextRuns(config({ 'schedule.weeklyCron': 'mondays' }), 1, 'weekly')).toThrow(/schedule\.weeklyCron "mondays"/);
  });
});

describe('the cron daemon', () => {
  it('lists the next runs in the schedule zone', () => {
    const runs = nextRuns(config({ 'schedule.cron': '0 7 * * 1-5', 'schedule.timezone': 'Europe/Berlin' }), 3);
    expect(runs).toHaveLength(3);
    for (const run of runs) {
      expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' }).format(run)).toBe('07:00');
      expect(['Sat', 'Sun']).not.toContain(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', weekday: 'short' }).format(run));
    }
  });

  it('logs a skipped stale tick as one structured line and delivers nothing', async () => {
    const logs = collector();
    const calls: string[] = [];
    await runTick(
      {
        config: config({ 'schedule.staleAfterMinutes': 30 }),
        logger: pino(logs.stream),
        now: () => new Date('2026-08-21T09:00:00Z'),
        deliver: async (_config, options) => {
          calls.push(options.list);
          return { kind: 'no-papers', day: '', list: options.list, source: '', droppedAsRecent: 0 };
        },
      },
      new Date('2026-08-21T07:00:00Z'),
      new AbortController().signal,
    );
    expect(calls).toEqual([]);
    const line = JSON.parse(logs.text().trim());
    expect(line.level).toBe(40);
    expect(line.msg).toContain('skipped: started 120 minutes after');
  });

  it('runs the send again when messages wait for a retry, but not past the stale cutoff', async () => {
    const summary = (complete: boolean, nextRetryAt?: string) =>
      ({
        kind: 'sent',
        day: '2026-08-21',
        list: 'default',
        resumed: false,
        papers: 10,
        transport: 'test',
        summary: { complete, nextRetryAt, sent: 1, failed: 0, bounced: 0, skipped: 0 },
      }) as unknown as DeliverResult;
    const run = async (retryInMs: number) => {
      const calls: string[] = [];
      const planned = new Date();
      await runTick(
        {
          config: config({ 'schedule.staleAfterMinutes': 1 }),
          logger: pino(collector().stream),
          deliver: async (_config, options) => {
            calls.push(options.date!);
            return calls.length === 1 ? summary(false, new Date(Date.now() + retryInMs).toISOString()) : summary(true);
          },
        },
        planned,
        new AbortController().signal,
      );
      return calls.length;
    };
    expect(await run(50)).toBe(2); // the retry is due within the tick's window: sent again
    expect(await run(5 * 60_000)).toBe(1); // due after the stale cutoff: left for a manual run
  });

  it('fires on its cron, never overlaps a run still going, and stops cleanly', async () => {
    const logs = collector();
    let active = 0;
    let maxActive = 0;
    const days: string[] = [];
    const schedule = startSchedule({
      config: config({ 'schedule.cron': '* * * * * *', 'schedule.lists': ['default'] }),
      logger: pino(logs.stream),
      deliver: async (_config, options): Promise<DeliverResult> => {
        active++;
        maxActive = Math.max(maxActive, active);
        days.push(options.date!);
        await new Promise((resolve) => setTimeout(resolve, 1500)); // longer than the 1 s period
        active--;
        return { kind: 'no-papers', day: options.date!, list: options.list, source: 'sample', droppedAsRecent: 0 };
      },
    });
    // Two runs of 1.5 s on a 1 s cron: the second started only once the first was over.
    await waitFor(() => days.length >= 2, 60_000);
    await schedule.stop();
    expect(maxActive).toBe(1);
    expect(days[0]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(active).toBe(0); // stop() waited for the run in progress
  });

  it('sends messages deferred past their run once their retry is due, whatever their edition: the retry sweep', async () => {
    const dir = tempDir('paperboy-schedule-retries-');
    let defer = true;
    const sink = await startSink({ rcpt: (address) => (defer && address === 'slow@example.org' ? { code: 451, text: '4.7.1 Greylisted' } : undefined) });
    try {
      await prepareSend(dir.path, ['ada@example.org', 'slow@example.org'], {
        source: `file:${fixture('2026-08-21')}`,
        transport: sink.url,
        delivery: { retryBaseMs: 100, retryWindowMinutes: 0 },
      });
      const first = await sendCli(dir.path);
      expect(first.code, first.stderr).toBe(0);
      expect(ledgerStatuses(join(dir.path, 'data'))).toEqual({ sent: 1, retry: 1 });
      defer = false;
      await new Promise((resolve) => setTimeout(resolve, 300)); // its retry comes due
      const logs = collector();
      const swept = loadConfig({ env: {}, cwd: dir.path, flags: { dataDir: join(dir.path, 'data') } });
      await runRetries({ config: swept, logger: pino(logs.stream) }, new AbortController().signal);
      expect(sink.received.map((mail) => mail.to[0])).toEqual(['ada@example.org', 'slow@example.org']);
      expect(ledgerStatuses(join(dir.path, 'data'))).toEqual({ sent: 2 });
      expect(logs.text()).toContain('retried the messages that were waiting');
    } finally {
      await sink.close();
      dir.remove();
    }
  });
});
