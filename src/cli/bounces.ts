import {
  applyEvents,
  type BounceKind,
  dismissEvents,
  type EventAction,
  evidenceWords,
  eventWhat,
  incomingMessages,
  ingestMessage,
  type Reviewed,
  type StoredBounceEvent,
  waitingActions,
} from '../bounces/index.js';
import type { Config } from '../config/index.js';
import { storeFailure } from '../db/index.js';
import { messageOf, PaperboyError } from '../errors.js';
// The file, not the pipeline's index: that would load the renderer into every `bounces ingest`.
import { ingestDepsFor, startBounceWatcher } from '../pipeline/bounce-watcher.js';
import { type Stores, withStores } from '../stores/index.js';
import { count } from '../words.js';
import { commandConfig } from './context.js';
import type { GlobalOptions } from './flags.js';
import { print, printJson, warn } from './output.js';
import type { BounceListOptions, IngestOptions, ReviewOptions, WatchOptions } from './register/index.js';

const kinds: readonly BounceKind[] = ['bounce', 'complaint', 'auto-reply', 'not-bounce'];
const messagesPerCommit = 100;

/** What the operator should hear about reports kept back from acting. */
function keptBackLines(unverified: number, held: number, dryRun: boolean): string[] {
  const lines: string[] = [];
  if (unverified > 0 && dryRun) lines.push(`${count(unverified, 'report')} would change nobody: nothing but the address names the reader (see bounces.trust).`);
  else if (unverified > 0) {
    lines.push(
      `${count(unverified, 'report')} named a reader by address alone and changed nobody (see bounces.trust): review them with paperboy bounces list --unverified, then bounces apply or dismiss.`,
    );
  }
  if (held > 0 && dryRun)
    lines.push(`The inbound breaker would hold ${count(held, 'report')}: more readers would bounce or complain than bounces.breaker allows.`);
  else if (held > 0) {
    lines.push(
      `The inbound breaker held ${count(held, 'report')}: more readers would have bounced or complained than bounces.breaker allows. They are kept: paperboy bounces list --held, then bounces apply or dismiss.`,
    );
  }
  return lines;
}

/**
 * `bounces ingest [PATH…|-]`: .eml files, mboxes, Maildirs, or standard input (a Postfix pipe).
 * A store that is down or locked exits 75 (EX_TEMPFAIL): a mail server piping a report keeps it
 * and tries again, where any other failure would return it to a sender that does not exist.
 */
export async function ingest(paths: string[], options: IngestOptions, global: GlobalOptions): Promise<void> {
  const config = commandConfig(global);
  try {
    await ingestInto(config, paths, options);
  } catch (error) {
    const failure = storeFailure(error);
    if (failure)
      throw new PaperboyError(
        'TEMPFAIL',
        `${failure.message.replace(/[.;]? *$/, '')} (exit 75: a mail server that piped the report keeps it and tries again).`,
        { cause: error },
      );
    throw error;
  }
}

async function ingestInto(config: Readonly<Config>, paths: string[], options: IngestOptions): Promise<void> {
  await withStores(config, async (stores) => {
    const deps = await ingestDepsFor(config, stores);
    const tally = new Map<string, number>();
    let unreadable = 0;
    let unverified = 0;
    let held = 0;
    const messages = incomingMessages(paths)[Symbol.asyncIterator]();
    let finished = false;
    while (!finished) {
      // A hundred messages a commit: ten thousand bounces in seconds, and other writers wait little.
      await stores.writeBatch(async () => {
        for (let inBatch = 0; inBatch < messagesPerCommit; inBatch++) {
          const next = await messages.next();
          if (next.done) return void (finished = true);
          const message = next.value;
          let result: Awaited<ReturnType<typeof ingestMessage>>;
          try {
            result = await ingestMessage(message.raw, 'ingest', deps, { dryRun: options.dryRun ?? false });
          } catch (error) {
            if (storeFailure(error)) throw error;
            // One unreadable message does not stop the rest: say which, go on, exit non-zero at the end.
            unreadable++;
            warn(`${message.file}: ${messageOf(error)}`);
            continue;
          }
          const key = result.duplicate ? 'already ingested' : result.kind;
          tally.set(key, (tally.get(key) ?? 0) + 1);
          unverified += result.unverified;
          held += result.held;
          if (options.json) {
            print(
              JSON.stringify({
                file: message.file,
                kind: result.kind,
                recipients: result.recipients.map(({ email, status, hard }) => ({ email, status, hard })),
                subscriberId: result.subscriberId ?? null,
                ...(result.duplicate ? { duplicate: true } : {}),
                actions: result.recipients.map((recipient) => recipient.action),
              }),
            );
          }
        }
      });
    }
    if (!options.json) {
      const total = [...tally.values()].reduce((sum, n) => sum + n, 0);
      const parts = [...tally].map(([kind, n]) => `${n} ${kind}`);
      print(`${options.dryRun ? 'Dry run (nothing recorded): ' : ''}${count(total, 'message')} read${parts.length ? `: ${parts.join(', ')}` : ''}.`);
    }
    for (const line of keptBackLines(unverified, held, options.dryRun ?? false)) warn(line);
    if (unreadable > 0) throw new PaperboyError('INPUT', `${count(unreadable, 'message')} could not be read (above); the others were ingested.`);
  });
}

/** `bounces list`: the events, newest first; --unverified and --held show those waiting for the operator. */
export async function list(options: BounceListOptions, global: GlobalOptions): Promise<void> {
  if (options.kind && !kinds.includes(options.kind as BounceKind))
    throw new PaperboyError('USAGE', `Unknown kind "${options.kind}"; use one of ${kinds.join(', ')}.`);
  if (options.since && Number.isNaN(Date.parse(options.since)))
    throw new PaperboyError('USAGE', `--since ${options.since} is not a date; write it as 2026-08-21 (or a full ISO time).`);
  const actions: EventAction[] = [...(options.unverified ? ['unverified' as const] : []), ...(options.held ? ['held' as const] : [])];
  await withStores(commandConfig(global), async ({ bounces }) => {
    const events = await bounces.list({
      limit: options.limit ?? 100,
      ...(options.since ? { since: new Date(options.since).toISOString() } : {}),
      ...(options.kind ? { kind: options.kind as BounceKind } : {}),
      ...(actions.length ? { actions } : {}),
    });
    if (options.json) return printJson(events);
    if (events.length === 0) return print(actions.length ? 'Nothing is waiting for review.' : 'No bounces, complaints or auto-replies recorded.');
    for (const event of events) print(eventLine(event));
    if (events.some((event) => waitingActions.includes(event.action)))
      print('Waiting ones (unverified, held) change nobody until paperboy bounces apply ID… (or bounces dismiss ID…).');
  });
}

function eventLine(event: StoredBounceEvent): string {
  const what = eventWhat(event);
  const evidence = event.evidence ? `  [${evidenceWords[event.evidence] ?? event.evidence}]` : '';
  return `${String(event.id).padStart(6)}  ${event.receivedAt}  ${what.padEnd(18)}  ${event.email ?? '—'}  ${event.action}${evidence}${event.reason ? `  ${event.reason}` : ''}`;
}

/** Event ids from the command line: whole numbers, or every held one with --held. */
async function chosenIds(ids: string[], options: ReviewOptions, stores: Stores): Promise<number[]> {
  const parsed = ids.map((id) => {
    if (!/^\d{1,15}$/.test(id)) throw new PaperboyError('USAGE', `"${id}" is not an event id; the ids are the first column of paperboy bounces list.`);
    return Number(id);
  });
  if (options.held) parsed.push(...(await stores.bounces.list({ actions: ['held'], limit: 1_000_000 })).map((event) => event.id));
  if (parsed.length === 0) throw new PaperboyError('USAGE', 'Name the events by id (paperboy bounces list --unverified shows them), or give --held.');
  return [...new Set(parsed)];
}

function printReviewed(results: Reviewed[], json: boolean | undefined, verb: string): void {
  if (json) {
    printJson(results);
    return;
  }
  for (const result of results) print(`${String(result.id).padStart(6)}  ${result.email ?? '—'}  ${result.outcome}`);
  const done = results.filter((result) => result.outcome !== 'not found' && result.outcome !== 'not waiting').length;
  print(
    `${count(done, 'event')} ${verb}${done < results.length ? `; ${results.length - done} not waiting for review (already applied, dismissed or acted on)` : ''}.`,
  );
}

/** `bounces apply ID…`: act on events kept back, as if they had been proven. */
export async function apply(ids: string[], options: ReviewOptions, global: GlobalOptions): Promise<void> {
  const config = commandConfig(global);
  await withStores(config, async (stores) =>
    printReviewed(await applyEvents(await chosenIds(ids, options, stores), await ingestDepsFor(config, stores)), options.json, 'applied'),
  );
}

/** `bounces dismiss ID…`: drop events kept back; they stay on record and change nobody. */
export async function dismiss(ids: string[], options: ReviewOptions, global: GlobalOptions): Promise<void> {
  const config = commandConfig(global);
  await withStores(config, async (stores) =>
    printReviewed(await dismissEvents(await chosenIds(ids, options, stores), await ingestDepsFor(config, stores)), options.json, 'dismissed'),
  );
}

/** `bounces watch`: polls the IMAP mailbox of bounces.imap until stopped. */
export async function watch(options: WatchOptions, global: GlobalOptions): Promise<void> {
  const config = commandConfig(global);
  const { pino } = await import('pino'); // loaded here: the one-shot commands never log
  const logger = pino({ name: 'paperboy', base: { pid: process.pid } });
  const watcher = startBounceWatcher(config, logger, options);
  const shutdown = () => void watcher.stop();
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  try {
    await watcher.done;
  } finally {
    process.off('SIGINT', shutdown);
    process.off('SIGTERM', shutdown);
  }
}
