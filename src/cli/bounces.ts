import { pino, type Logger } from 'pino';
import type { Config } from '../config/index.js';
import { incomingMessages, ingestMessage, type BounceKind, type IngestDeps } from '../bounces/index.js';
import { PaperboyError, messageOf } from '../errors.js';
import { signerFor, withStores, type Stores } from '../stores/index.js';
import { ReturnPathTokens } from '../subscribers/index.js';
import { count } from '../words.js';
import { commandConfig } from './context.js';
import type { GlobalOptions } from './flags.js';
import { print, printJson, warn } from './output.js';

const kinds: readonly BounceKind[] = ['bounce', 'complaint', 'auto-reply', 'not-bounce'];
const messagesPerCommit = 100;

/** What ingesting needs, from the open stores. */
export async function ingestDeps(config: Readonly<Config>, stores: Stores): Promise<IngestDeps> {
  return {
    config,
    subscribers: stores.subscribers,
    bounces: stores.bounces,
    tokens: new ReturnPathTokens(signerFor(config)),
    storeId: await stores.storeId(),
    ...(config.delivery.returnPath ? { returnPath: config.delivery.returnPath } : {}),
  };
}

/** `bounces ingest [PATH…|-]`: .eml files, mboxes, Maildirs, or standard input (a Postfix pipe). */
export async function ingest(paths: string[], options: { dryRun?: boolean; json?: boolean }, global: GlobalOptions): Promise<void> {
  const config = commandConfig(global);
  await withStores(config, async (stores) => {
    const deps = await ingestDeps(config, stores);
    const tally = new Map<string, number>();
    let unreadable = 0;
    const messages = incomingMessages(paths)[Symbol.asyncIterator]();
    let finished = false;
    while (!finished) {
      // A hundred messages a commit: ten thousand bounces in seconds, and other writers wait little.
      await stores.writeBatch(async () => {
        for (let inBatch = 0; inBatch < messagesPerCommit; inBatch++) {
          const next = await messages.next();
          if (next.done) return void (finished = true);
          const message = next.value;
          try {
            const result = await ingestMessage(message.raw, 'ingest', deps, { dryRun: options.dryRun ?? false });
            const key = result.duplicate ? 'already ingested' : result.kind;
            tally.set(key, (tally.get(key) ?? 0) + 1);
            if (options.json) {
              print(JSON.stringify({
                file: message.file, kind: result.kind, recipients: result.recipients.map(({ email, status, hard }) => ({ email, status, hard })),
                subscriberId: result.subscriberId ?? null, ...(result.duplicate ? { duplicate: true } : {}),
                actions: result.recipients.map((recipient) => recipient.action),
              }));
            }
          } catch (error) {
            // One unreadable message does not stop the rest: say which, go on, exit non-zero at the end.
            unreadable++;
            warn(`${message.file}: ${messageOf(error)}`);
          }
        }
      });
    }
    if (!options.json) {
      const total = [...tally.values()].reduce((sum, n) => sum + n, 0);
      const parts = [...tally].map(([kind, n]) => `${n} ${kind}`);
      print(`${options.dryRun ? 'Dry run (nothing recorded): ' : ''}${count(total, 'message')} read${parts.length ? `: ${parts.join(', ')}` : ''}.`);
    }
    if (unreadable > 0) throw new PaperboyError('INPUT', `${count(unreadable, 'message')} could not be read (above); the others were ingested.`);
  });
}

/** `bounces list`: the events, newest first. */
export async function list(options: { since?: string; kind?: string; limit?: number; json?: boolean }, global: GlobalOptions): Promise<void> {
  if (options.kind && !kinds.includes(options.kind as BounceKind)) throw new PaperboyError('USAGE', `Unknown kind "${options.kind}"; use one of ${kinds.join(', ')}.`);
  if (options.since && Number.isNaN(Date.parse(options.since))) throw new PaperboyError('USAGE', `--since ${options.since} is not a date; write it as 2026-08-21 (or a full ISO time).`);
  await withStores(commandConfig(global), async ({ bounces }) => {
    const events = await bounces.list({
      limit: options.limit ?? 100,
      ...(options.since ? { since: new Date(options.since).toISOString() } : {}),
      ...(options.kind ? { kind: options.kind as BounceKind } : {}),
    });
    if (options.json) return printJson(events);
    if (events.length === 0) return print('No bounces, complaints or auto-replies recorded.');
    for (const event of events) {
      const what = event.kind === 'bounce' ? `${event.hard ? 'hard' : 'soft'} bounce ${event.status ?? ''}`.trim() : event.kind;
      print(`${event.receivedAt}  ${what.padEnd(18)}  ${event.email ?? '—'}  ${event.action}${event.reason ? `  ${event.reason}` : ''}`);
    }
  });
}

/**
 * Reads the bounce mailbox (bounces.imap) every intervalSeconds on stores of its own, until
 * stop() (or after one pass with `once`). `bounces watch` runs it alone, `schedule` beside its sends.
 */
export function startBounceWatcher(config: Readonly<Config>, logger: Logger, options: { once?: boolean } = {}): { done: Promise<void>; stop(): Promise<void> } {
  const settings = config.bounces.imap;
  if (!settings) throw new PaperboyError('CONFIG', 'bounces.imap is not set: give the mailbox, e.g. "bounces": { "imap": { "url": "imaps://bounces@imap.example.org" } }.');
  const abort = new AbortController();
  const done = withStores(config, async (stores) => {
    const { watchMailbox } = await import('../bounces/imap.js');
    await watchMailbox(settings, await ingestDeps(config, stores), logger, abort.signal, options);
  });
  return {
    done,
    stop: async () => {
      abort.abort();
      await done;
    },
  };
}

/** `bounces watch`: polls the IMAP mailbox of bounces.imap until stopped. */
export async function watch(options: { once?: boolean }, global: GlobalOptions): Promise<void> {
  const config = commandConfig(global);
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
