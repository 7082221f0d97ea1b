import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { defaultTransport, refusePlaceholders, type Config } from '../config/index.js';
import {
  buildMessage,
  checkTransportSpec,
  createTransport,
  messageContext,
  senderDomain,
  sendEdition,
  type SendProgress,
  type SendSummary,
  type Transport,
} from '../delivery/index.js';
import type { Edition } from '../editions/index.js';
import { PaperboyError } from '../errors.js';
import { isWeekKey, resolveWeek, type SkippedItem } from '../papers/index.js';
import { compileSources, editionView, mailSources } from '../render/index.js';
import { openStores, signerFor } from '../stores/index.js';
import {
  TokenSigner,
  eachSubscriber,
  importCsv,
  secretFileName,
  type SubscriberStore,
} from '../subscribers/index.js';
import { createOrResumeEdition, resolveDay } from './edition.js';
import { withoutPassword } from '../url-secrets.js';
import { count } from '../words.js';

export const exampleCsv = 'example.csv';

export interface DeliverOptions {
  list: string;
  date?: string;
  /** The weekly roundup of the ISO week containing `date` (default: the last complete week) instead of a day's edition. */
  weekly?: boolean;
  now?: Date;
  dryRun?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: SendProgress) => void;
  /** Lines worth telling a person (seeding, created/resumed), as they happen. */
  onNotice?: (line: string) => void;
  /** Items of the feed that were skipped as malformed. */
  onSkippedItems?: (items: SkippedItem[]) => void;
  /** Something went wrong that did not stop the run (a day of the week that could not be read). */
  onWarning?: (line: string) => void;
  /** Put the edition's failed messages (bounces excepted) back to waiting before sending. */
  retryFailed?: boolean;
}

export type DeliverResult =
  | { kind: 'no-papers'; day: string; list: string; source: string; droppedAsRecent: number }
  | { kind: 'dry-run'; day: string; list: string; papers: number; messages: number; skippedNoMatch: number; bytes: number; largestHtml: number }
  | { kind: 'sent'; day: string; list: string; resumed: boolean; papers: number; transport: string; retriedFailed: number; summary: SendSummary };

/** On the embedded defaults only (outbox transport, empty list), a fresh clone gets demo subscribers from the example CSV. */
async function seedDemoSubscribers(config: Readonly<Config>, store: SubscriberStore, list: string): Promise<number> {
  const csv = join(config.dataDir, exampleCsv);
  if (config.transport !== defaultTransport || !existsSync(csv) || (await store.count({ list })) > 0) return 0;
  return (await importCsv(store, createReadStream(csv), { list })).added;
}

/** Renders every message of the edition for the active members of its list, and counts; sends and records nothing. */
async function rehearse(config: Readonly<Config>, store: SubscriberStore, edition: Edition, signer: TokenSigner) {
  const view = editionView({ day: edition.day, papers: edition.papers, newsletter: config.newsletter });
  const context = messageContext(config, edition, view, compileSources(mailSources(edition.templates)), signer);
  const domain = senderDomain(config);
  let messages = 0;
  let skippedNoMatch = 0;
  let bytes = 0;
  let largestHtml = 0;
  const weekly = isWeekKey(edition.day);
  for await (const subscriber of eachSubscriber(store, { list: edition.list, status: 'active' })) {
    const frequency = subscriber.preferences.frequency ?? 'daily';
    if (weekly !== (frequency === 'weekly')) continue;
    if (frequency === 'alerts' && context.personalizer.personalize(subscriber.preferences).nothingToSend) {
      skippedNoMatch++;
      continue;
    }
    const delivery = {
      subscriberId: subscriber.id, email: subscriber.email, name: subscriber.name, preferences: subscriber.preferences,
      attempts: 0, messageId: `<${edition.day}.dry-run.${subscriber.id}@${domain}>`,
    };
    const message = buildMessage(context, delivery, new Date());
    messages++;
    bytes += message.raw.length;
    largestHtml = Math.max(largestHtml, Buffer.byteLength(message.html));
  }
  return { messages, skippedNoMatch, bytes, largestHtml };
}

/** The configured transport, loaded and checked: a typo or a module that cannot load fails before any work. */
async function openTransport(config: Readonly<Config>): Promise<Transport> {
  checkTransportSpec(config.transport);
  return createTransport(config.transport, {
    dataDir: config.dataDir,
    maxConnections: config.delivery.maxConnections,
    rateLimit: 0, // the sender paces every transport itself (delivery.rateLimit)
    tlsRejectUnauthorized: config.delivery.tlsRejectUnauthorized,
    ...(config.delivery.dkim ? { dkim: config.delivery.dkim } : {}),
    env: process.env,
  });
}

/** The main job: the edition for (list, day), created or resumed, delivered through the configured transport. */
export async function deliverEdition(config: Readonly<Config>, options: DeliverOptions): Promise<DeliverResult> {
  const { list } = options;
  if (!options.dryRun) refusePlaceholders(config);
  const transport = await openTransport(config);
  try {
    const stores = await openStores(config);
    const { subscribers, editions, ledger } = stores;
    try {
      if (!(await subscribers.hasList(list))) throw new PaperboyError('INPUT', `There is no list named "${list}"; see paperboy lists list.`);
      const seeded = options.dryRun ? 0 : await seedDemoSubscribers(config, subscribers, list);
      if (seeded > 0) options.onNotice?.(`Seeded ${count(seeded, 'demo subscriber')} from ${join(config.dataDir, exampleCsv)} (the list was empty).`);
      const now = options.now ?? new Date();
      const weekly = options.weekly === true || (options.date !== undefined && isWeekKey(options.date));
      const day = weekly ? resolveWeek(options.date, now, config.timezone) : await resolveDay(config, options.date, now);
      const outcome = await createOrResumeEdition(config, editions, { list, day, persist: !options.dryRun });
      if (outcome.kind !== 'resumed' && outcome.skipped.length > 0) options.onSkippedItems?.(outcome.skipped);
      if (outcome.kind === 'created') for (const { day: unread, reason } of outcome.unreadableDays ?? []) options.onWarning?.(`${unread} left out of the week: ${reason}`);
      if (outcome.kind === 'no-papers') return { kind: 'no-papers', day, list, source: outcome.source, droppedAsRecent: outcome.droppedAsRecent };
      const { edition } = outcome;
      // A dry run records nothing, not even a new secret: without one it signs with a throwaway key.
      const hasSecret = Boolean(process.env.PAPERBOY_SECRET) || existsSync(join(config.dataDir, secretFileName));
      const signer = options.dryRun && !hasSecret ? new TokenSigner(randomBytes(32).toString('base64url')) : signerFor(config);
      if (options.dryRun) return { kind: 'dry-run', day, list, papers: edition.papers.length, ...(await rehearse(config, subscribers, edition, signer)) };
      options.onNotice?.(`${outcome.kind === 'resumed' ? 'Resuming' : 'Created'} the ${day} edition for ${list}: ${count(edition.papers.length, 'paper')}.`);
      await editions.recordTransport(edition.id, withoutPassword(config.transport).spec);
      const retriedFailed = options.retryFailed ? await ledger.retryFailed(edition.id) : 0;
      if (options.retryFailed) options.onNotice?.(`${count(retriedFailed, 'failed message')} (bounces excepted) ${retriedFailed === 1 ? 'is' : 'are'} waiting to be sent again.`);
      const summary = await sendEdition(edition, {
        config, ledger, editions, subscribers, transport, signer, exclusive: !stores.sharedSending,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
      return { kind: 'sent', day, list, resumed: outcome.kind === 'resumed', papers: edition.papers.length, transport: transport.name, retriedFailed, summary };
    } finally {
      await stores.close();
    }
  } finally {
    await transport.close?.();
  }
}

/** The editions whose waiting messages are due for a retry by `now` (deferred past a run: the schedule sends them again). */
export async function editionsDueForRetry(config: Readonly<Config>, now: Date): Promise<{ list: string; day: string }[]> {
  const stores = await openStores(config);
  try {
    return await stores.ledger.dueRetries(now);
  } finally {
    await stores.close();
  }
}
