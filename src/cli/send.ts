import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Config } from '../config/index.js';
import { openDatabase, type Db } from '../db/index.js';
import {
  SqliteLedger,
  buildMessage,
  createTransport,
  messageContext,
  outboxFileName,
  senderDomain,
  sendEdition,
  type SendSummary,
} from '../delivery/index.js';
import { SqliteEditionStore, type Edition } from '../editions/index.js';
import { PaperboyError } from '../errors.js';
import { describeSkipped } from '../papers/index.js';
import { createOrResumeEdition, resolveDay } from '../pipeline/index.js';
import { compileSources, editionView, gmailClipBytes } from '../render/index.js';
import {
  SqliteSubscriberStore,
  TokenSigner,
  eachSubscriber,
  importCsv,
  loadSecret,
  type SubscriberStore,
} from '../subscribers/index.js';
import { commandConfig } from './context.js';
import type { GlobalOptions } from './flags.js';
import { formatBytes, print, printJson, warn } from './output.js';
import { progressBar } from './progress.js';

export interface SendOptions {
  list?: string;
  date?: string;
  source?: string;
  transport?: string;
  baseUrl?: string;
  top?: number;
  dryRun?: boolean;
  json?: boolean;
}

export const defaultTransport = 'outbox:outbox';
export const exampleCsv = 'example.csv';

/** On the embedded defaults only (outbox, empty list), a fresh clone gets demo subscribers from the example CSV. */
async function seedDemoSubscribers(config: Readonly<Config>, store: SubscriberStore, list: string, json: boolean): Promise<void> {
  const csv = join(config.dataDir, exampleCsv);
  if (config.transport !== defaultTransport || !existsSync(csv) || (await store.count({ list })) > 0) return;
  const summary = await importCsv(store, createReadStream(csv), { list });
  if (!json) print(`Seeded ${summary.added} demo subscribers from ${csv} (the list was empty).`);
}

async function dryRun(config: Readonly<Config>, store: SubscriberStore, edition: Edition, signer: TokenSigner, json: boolean) {
  const view = editionView({ day: edition.day, papers: edition.papers, newsletterName: config.newsletter.name });
  const context = messageContext(config, edition, view, compileSources(edition.templates), signer);
  const domain = senderDomain(config);
  let messages = 0;
  let largestHtml = 0;
  let bytes = 0;
  for await (const subscriber of eachSubscriber(store, { list: edition.list, status: 'active' })) {
    const message = buildMessage(
      context,
      { subscriberId: subscriber.id, email: subscriber.email, name: subscriber.name, preferences: subscriber.preferences, attempts: 0, messageId: `<${edition.day}.dry-run.${subscriber.id}@${domain}>` },
      new Date(),
    );
    messages++;
    bytes += message.raw.length;
    largestHtml = Math.max(largestHtml, Buffer.byteLength(message.html));
  }
  if (json) return printJson({ dryRun: true, day: edition.day, list: edition.list, papers: edition.papers.length, messages, bytes, largestHtml });
  print(`Dry run: the ${edition.day} edition (${edition.papers.length} papers) would go to ${messages} subscribers of ${edition.list}; nothing was sent or recorded.`);
  print(`  ${formatBytes(bytes)} in all; largest HTML ${formatBytes(largestHtml)}${largestHtml > gmailClipBytes ? ' — over the 102 KB Gmail clips at' : ''}.`);
}

function printSummary(summary: SendSummary, config: Readonly<Config>, resume: string): void {
  const { counts } = summary;
  print(
    `Edition ${summary.day} → ${summary.list}: ${summary.sent} sent this run` +
      `${summary.recovered ? ` (${summary.recovered} re-sent after an interrupted run, same Message-IDs)` : ''}, ` +
      `${summary.failed} failed${summary.bounced ? ` (${summary.bounced} bounced)` : ''}, ${summary.skipped} skipped (unsubscribed meanwhile).`,
  );
  print(`  Ledger: ${counts.sent} sent, ${counts.failed} failed, ${counts.skipped} skipped, ${counts.retry} waiting to retry, ${counts.pending + counts.sending} not yet sent.`);
  if (summary.nextRetryAt && !summary.paused && !summary.interrupted) {
    print(`  ${counts.retry} messages wait for a retry from ${summary.nextRetryAt}; ${resume} picks them up.`);
  }
  if (summary.complete && config.transport.startsWith('outbox:')) {
    const dir = config.transport.slice('outbox:'.length);
    const folder = join(dir, outboxFileName({ edition: { day: summary.day, list: summary.list } } as never), '..');
    const shown = relative(process.cwd(), folder) || folder;
    const first = existsSync(folder) ? readdirSync(folder).find((name) => name.endsWith('.eml')) : undefined;
    print(`Messages are in ${shown}/ (one .eml per subscriber).${first ? ` Open one in any mail client, e.g. xdg-open ${join(shown, first)}` : ''}`);
    print('To see the digest in a browser instead: npx paperboy preview (writes preview/digest.html).');
  }
}

export async function runSend(options: SendOptions, global: GlobalOptions): Promise<void> {
  const config = commandConfig(global, {
    source: options.source,
    transport: options.transport,
    'newsletter.baseUrl': options.baseUrl,
    'selection.top': options.top,
  });
  const list = options.list ?? 'default';
  const db: Db = openDatabase(config.dataDir);
  const subscribers = new SqliteSubscriberStore(db);
  const editions = new SqliteEditionStore(db);
  try {
    if (!(await subscribers.hasList(list))) throw new PaperboyError('INPUT', `There is no list named "${list}"; see paperboy lists list.`);
    await seedDemoSubscribers(config, subscribers, list, options.json ?? false);
    const day = await resolveDay(config, options.date, new Date());
    const outcome = await createOrResumeEdition(config, editions, { list, day, persist: !options.dryRun });
    if (outcome.kind !== 'resumed') for (const item of outcome.skipped) warn(describeSkipped(item));
    if (outcome.kind === 'no-papers') {
      const recent = outcome.droppedAsRecent ? ` (${outcome.droppedAsRecent} were already featured recently)` : '';
      if (options.json) printJson({ day, list, papers: 0, sent: 0, reason: 'no papers' });
      else print(`No papers for ${day} from ${outcome.source}${recent}: no edition, nothing sent.`);
      return;
    }
    const { edition } = outcome;
    const signer = new TokenSigner(loadSecret(config.dataDir));
    if (options.dryRun) return await dryRun(config, subscribers, edition, signer, options.json ?? false);
    if (!options.json) print(`${outcome.kind === 'resumed' ? 'Resuming' : 'Created'} the ${day} edition for ${list}: ${edition.papers.length} papers.`);

    const transport = await createTransport(config.transport, {
      maxConnections: config.delivery.maxConnections,
      rateLimit: 0, // the sender paces every transport itself (delivery.rateLimit)
      tlsRejectUnauthorized: config.delivery.tlsRejectUnauthorized,
      ...(config.delivery.dkim ? { dkim: config.delivery.dkim } : {}),
      env: process.env,
    });
    const stop = new AbortController();
    const onSignal = (name: string) => {
      if (stop.signal.aborted) process.exit(130); // a second Ctrl-C: leave now; the next run re-sends what was in flight
      warn(`${name}: finishing the messages in flight, then stopping (again to quit at once).`);
      stop.abort();
    };
    const onInt = () => onSignal('SIGINT');
    const onTerm = () => onSignal('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    const bar = options.json ? undefined : progressBar(1, 'messages', '{bar} {percentage}% | {value}/{total} | {failed} failed | {rate}/s | ETA {eta}s');
    let summary: SendSummary;
    try {
      summary = await sendEdition(edition, {
        config,
        ledger: new SqliteLedger(db),
        editions,
        subscribers,
        transport,
        signer,
        signal: stop.signal,
        onProgress: (progress) => {
          const seconds = (performance.now() - progress.startedAt) / 1000;
          bar?.setTotal(progress.total);
          bar?.update(progress.sent + progress.failed, { failed: progress.failed, rate: Math.round(progress.sent / Math.max(seconds, 0.001)) });
        },
      });
    } finally {
      bar?.stop();
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      await transport.close?.();
    }
    const resume = `paperboy send --list ${list} --date ${day}`;
    if (options.json) printJson({ ...summary, transport: transport.name });
    else printSummary(summary, config, resume);
    if (summary.interrupted) throw new PaperboyError('INTERRUPTED', `Stopped before the end; run \`${resume}\` to resume (nobody gets it twice).`);
    if (summary.paused) throw new PaperboyError('TRANSPORT', `Paused: ${summary.paused}. Fix the transport, then run \`${resume}\` to resume.`);
  } finally {
    db.close();
  }
}
