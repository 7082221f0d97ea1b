import type { Logger } from 'pino';
import { type IngestDeps, ingestDeps } from '../bounces/index.js';
import type { Config } from '../config/index.js';
import { PaperboyError } from '../errors.js';
import { type Stores, signerFor, withStores } from '../stores/index.js';

// Keep this file light: `bounces ingest`, started for every report a Postfix pipe hands over, imports it directly.

/** What ingesting and reviewing reports need, from the open stores. */
export async function ingestDepsFor(config: Readonly<Config>, stores: Stores): Promise<IngestDeps> {
  return ingestDeps(config, { subscribers: stores.subscribers, bounces: stores.bounces, signer: signerFor(config), storeId: await stores.storeId() });
}

/**
 * Reads the bounce mailbox (bounces.imap) every intervalSeconds on stores of its own, until
 * stop() (or after one pass with `once`). `bounces watch` runs it alone, `schedule` beside its sends.
 */
export function startBounceWatcher(config: Readonly<Config>, logger: Logger, options: { once?: boolean } = {}): { done: Promise<void>; stop(): Promise<void> } {
  const settings = config.bounces.imap;
  if (!settings)
    throw new PaperboyError('CONFIG', 'bounces.imap is not set: give the mailbox, e.g. "bounces": { "imap": { "url": "imaps://bounces@imap.example.org" } }.');
  const abort = new AbortController();
  const done = withStores(config, async (stores) => {
    const { watchMailbox } = await import('../bounces/imap.js');
    await watchMailbox(settings, await ingestDepsFor(config, stores), logger, abort.signal, options);
  });
  return {
    done,
    stop: async () => {
      abort.abort();
      await done;
    },
  };
}
