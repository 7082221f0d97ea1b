import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { placeholderBaseUrl, placeholderFrom, type Config } from '../config/index.js';
import { openDatabase } from '../db/index.js';
import {
  SqliteLedger,
  buildMessage,
  checkTransportSpec,
  createTransport,
  messageContext,
  senderDomain,
  sendEdition,
  type SendProgress,
  type SendSummary,
} from '../delivery/index.js';
import { SqliteEditionStore, type Edition } from '../editions/index.js';
import { PaperboyError } from '../errors.js';
import type { SkippedItem } from '../papers/index.js';
import { compileSources, editionView, mailSources } from '../render/index.js';
import { randomBytes } from 'node:crypto';
import {
  SqliteSubscriberStore,
  TokenSigner,
  eachSubscriber,
  importCsv,
  loadSecret,
  secretFileName,
  type SubscriberStore,
} from '../subscribers/index.js';
import { createOrResumeEdition, resolveDay } from './edition.js';

export const defaultTransport = 'outbox:outbox';
export const exampleCsv = 'example.csv';

export interface DeliverOptions {
  list: string;
  date?: string;
  now?: Date;
  dryRun?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: SendProgress) => void;
  /** Lines worth telling a person (seeding, created/resumed), as they happen. */
  onNotice?: (line: string) => void;
  /** Items of the feed that were skipped as malformed. */
  onSkippedItems?: (items: SkippedItem[]) => void;
}

export type DeliverResult =
  | { kind: 'no-papers'; day: string; list: string; source: string; droppedAsRecent: number }
  | { kind: 'dry-run'; day: string; list: string; papers: number; messages: number; bytes: number; largestHtml: number }
  | { kind: 'sent'; day: string; list: string; resumed: boolean; papers: number; transport: string; summary: SendSummary };

/**
 * Real mail (smtp, a module) with the placeholder From or base URL would put dead unsubscribe
 * links in every inbox: refuse before anything is sent. The outbox and json: are for looking.
 */
function refusePlaceholders(config: Readonly<Config>): void {
  if (config.transport.startsWith('outbox:') || config.transport.startsWith('json')) return;
  if (config.newsletter.baseUrl === placeholderBaseUrl) {
    throw new PaperboyError('CONFIG', `newsletter.baseUrl is still ${placeholderBaseUrl}: unsubscribe links would not work. Set it to your public https:// address (PAPERBOY_BASE_URL).`);
  }
  if (config.newsletter.from === placeholderFrom) {
    throw new PaperboyError('CONFIG', 'newsletter.from is still the placeholder address; set it to your sending address (PAPERBOY_FROM).');
  }
}

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
  let bytes = 0;
  let largestHtml = 0;
  for await (const subscriber of eachSubscriber(store, { list: edition.list, status: 'active' })) {
    const delivery = {
      subscriberId: subscriber.id, email: subscriber.email, name: subscriber.name, preferences: subscriber.preferences,
      attempts: 0, messageId: `<${edition.day}.dry-run.${subscriber.id}@${domain}>`,
    };
    const message = buildMessage(context, delivery, new Date());
    messages++;
    bytes += message.raw.length;
    largestHtml = Math.max(largestHtml, Buffer.byteLength(message.html));
  }
  return { messages, bytes, largestHtml };
}

/** The main job: the edition for (list, day), created or resumed, delivered through the configured transport. */
export async function deliverEdition(config: Readonly<Config>, options: DeliverOptions): Promise<DeliverResult> {
  const { list } = options;
  if (!options.dryRun) {
    checkTransportSpec(config.transport);
    refusePlaceholders(config);
  }
  const db = openDatabase(config.dataDir);
  const subscribers = new SqliteSubscriberStore(db);
  const editions = new SqliteEditionStore(db);
  try {
    if (!(await subscribers.hasList(list))) throw new PaperboyError('INPUT', `There is no list named "${list}"; see paperboy lists list.`);
    const seeded = options.dryRun ? 0 : await seedDemoSubscribers(config, subscribers, list);
    if (seeded > 0) options.onNotice?.(`Seeded ${seeded} demo subscribers from ${join(config.dataDir, exampleCsv)} (the list was empty).`);
    const day = await resolveDay(config, options.date, options.now ?? new Date());
    const outcome = await createOrResumeEdition(config, editions, { list, day, persist: !options.dryRun });
    if (outcome.kind !== 'resumed' && outcome.skipped.length > 0) options.onSkippedItems?.(outcome.skipped);
    if (outcome.kind === 'no-papers') return { kind: 'no-papers', day, list, source: outcome.source, droppedAsRecent: outcome.droppedAsRecent };
    const { edition } = outcome;
    // A dry run records nothing, not even a new secret: without one it signs with a throwaway key.
    const hasSecret = Boolean(process.env.PAPERBOY_SECRET) || existsSync(join(config.dataDir, secretFileName));
    const signer = new TokenSigner(options.dryRun && !hasSecret ? randomBytes(32).toString('base64url') : loadSecret(config.dataDir));
    if (options.dryRun) return { kind: 'dry-run', day, list, papers: edition.papers.length, ...(await rehearse(config, subscribers, edition, signer)) };
    options.onNotice?.(`${outcome.kind === 'resumed' ? 'Resuming' : 'Created'} the ${day} edition for ${list}: ${edition.papers.length} papers.`);

    const transport = await createTransport(config.transport, {
      maxConnections: config.delivery.maxConnections,
      rateLimit: 0, // the sender paces every transport itself (delivery.rateLimit)
      tlsRejectUnauthorized: config.delivery.tlsRejectUnauthorized,
      ...(config.delivery.dkim ? { dkim: config.delivery.dkim } : {}),
      env: process.env,
    });
    try {
      const summary = await sendEdition(edition, {
        config, ledger: new SqliteLedger(db), editions, subscribers, transport, signer,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
      return { kind: 'sent', day, list, resumed: outcome.kind === 'resumed', papers: edition.papers.length, transport: transport.name, summary };
    } finally {
      await transport.close?.();
    }
  } finally {
    db.close();
  }
}
