import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Config, refusePlaceholders, relaysOf } from '../config/index.js';
import { openMailTransport, type SendProgress, type SendSummary, sendEdition } from '../delivery/index.js';
import { PaperboyError } from '../errors.js';
import { isWeekKey, resolveWeek, type SkippedItem } from '../papers/index.js';
import { openStores, signerFor } from '../stores/index.js';
import { secretFileName, TokenSigner } from '../subscribers/index.js';
import { withoutPassword } from '../url-secrets.js';
import { count } from '../words.js';
import { alertPapers } from './alert-papers.js';
import { demoNotice, exampleCsv, refuseDefaultSampleSource, refuseOtherSource, seedDemoSubscribers } from './demo.js';
import { createOrResumeEdition, type EditionOutcome, resolveDay } from './edition.js';
import { type Rehearsal, rehearse } from './rehearse.js';
import type { LeftOutDay } from './week-papers.js';

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
  /** How a paperboy command is written for the person running this one (hints name commands to run). */
  command?: (words: string[]) => string;
}

/** Days of the week this run left out as broken (always none for a day's edition); absent when the edition was made by an earlier run. */
type LeftOut = { leftOutDays?: LeftOutDay[] };

export type DeliverResult =
  | ({ kind: 'no-papers'; day: string; list: string; source: string; droppedAsRecent: number } & LeftOut)
  | ({ kind: 'dry-run'; day: string; list: string; papers: number } & Rehearsal & LeftOut)
  | ({
      kind: 'sent';
      day: string;
      list: string;
      resumed: boolean;
      papers: number;
      source: string;
      transport: string;
      retriedFailed: number;
      summary: SendSummary;
    } & LeftOut);

/** Tells the person running the send what the source gave that did not make the edition: bad items, broken days. */
function reportLeftOut(outcome: EditionOutcome, options: DeliverOptions): LeftOut {
  if (outcome.kind === 'resumed') return {};
  if (outcome.skipped.length > 0) options.onSkippedItems?.(outcome.skipped);
  for (const { day, reason } of outcome.leftOutDays) options.onWarning?.(`${day} left out of the week: ${reason}`);
  return { leftOutDays: outcome.leftOutDays };
}

/** The main job: the edition for (list, day), created or resumed, delivered through the configured transport. */
export async function deliverEdition(config: Readonly<Config>, options: DeliverOptions): Promise<DeliverResult> {
  const { list } = options;
  if (!options.dryRun) refusePlaceholders(config);
  // Opened first: a typo or a module that cannot load fails before any work.
  const transport = await openMailTransport(config);
  try {
    refuseDefaultSampleSource(config);
    const stores = await openStores(config);
    const { subscribers, editions, ledger, papers: archive } = stores;
    try {
      options.onNotice?.(`Store: ${stores.where}.`);
      if (!(await subscribers.hasList(list))) throw new PaperboyError('INPUT', `There is no list named "${list}"; see paperboy lists list.`);
      const command = options.command ?? ((words: string[]) => ['paperboy', ...words].join(' '));
      const seeded = options.dryRun ? 0 : await seedDemoSubscribers(config, subscribers, list);
      if (seeded > 0) options.onNotice?.(`Seeded ${count(seeded, 'demo subscriber')} from ${join(config.dataDir, exampleCsv)} (the list was empty).`);
      const now = options.now ?? new Date();
      const weekly = options.weekly === true || (options.date !== undefined && isWeekKey(options.date));
      const day = weekly ? resolveWeek(options.date, now, config.timezone) : await resolveDay(config, options.date, now);
      const outcome = await createOrResumeEdition(config, editions, { list, day, persist: !options.dryRun, archive });
      const daysLeftOut = reportLeftOut(outcome, options);
      if (outcome.kind === 'no-papers')
        return { kind: 'no-papers', day, list, source: outcome.source, droppedAsRecent: outcome.droppedAsRecent, ...daysLeftOut };
      const { edition } = outcome;
      if (outcome.kind === 'resumed') refuseOtherSource(config, edition, command);
      // A dry run records nothing, not even a new secret: without one it signs with a throwaway key.
      const hasSecret = Boolean(process.env.PAPERBOY_SECRET) || existsSync(join(config.dataDir, secretFileName));
      const signer = options.dryRun && !hasSecret ? new TokenSigner(randomBytes(32).toString('base64url')) : signerFor(config);
      if (options.dryRun)
        return {
          kind: 'dry-run',
          day,
          list,
          papers: edition.papers.length,
          ...(await rehearse(config, subscribers, ledger, edition, signer, await alertPapers(archive, edition))),
          ...daysLeftOut,
        };
      options.onNotice?.(`${outcome.kind === 'resumed' ? 'Resuming' : 'Created'} the ${day} edition for ${list}: ${count(edition.papers.length, 'paper')}.`);
      const leftOut = await demoNotice(config, subscribers, list, command);
      if (leftOut) options.onNotice?.(leftOut);
      // Through relays, the commands printed later need no --transport: the configured relays are the way it went.
      await editions.recordTransport(edition.id, relaysOf(config).length > 0 ? null : withoutPassword(config.transport).spec);
      const retriedFailed = options.retryFailed ? await ledger.retryFailed(edition.id) : 0;
      if (options.retryFailed)
        options.onNotice?.(`${count(retriedFailed, 'failed message')} (bounces excepted) ${retriedFailed === 1 ? 'is' : 'are'} waiting to be sent again.`);
      const summary = await sendEdition(edition, {
        config,
        ledger,
        editions,
        subscribers,
        transport,
        signer,
        exclusive: !stores.sharedSending,
        searched: await alertPapers(archive, edition),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
      return {
        kind: 'sent',
        day,
        list,
        resumed: outcome.kind === 'resumed',
        papers: edition.papers.length,
        source: edition.source,
        transport: transport.name,
        retriedFailed,
        summary,
        ...daysLeftOut,
      };
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
