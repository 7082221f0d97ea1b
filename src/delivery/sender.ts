import type { Config } from '../config/index.js';
import { editionView } from '../render/index.js';
import { compileSources, mailSources } from '../render/index.js';
import type { DeliveryCounts, Edition, EditionStore } from '../editions/index.js';
import { PaperboyError } from '../errors.js';
import type { SubscriberStore, TokenSigner } from '../subscribers/index.js';
import type { DueDelivery, Ledger } from './ledger.js';
import { buildMessage, messageContext, senderDomain } from './message.js';
import { runOwner } from './sqlite-ledger.js';
import { classifyFailure, type Transport } from './transport.js';

export interface SendProgress {
  sent: number;
  failed: number;
  total: number;
  startedAt: number;
}

export interface SenderDeps {
  config: Readonly<Config>;
  ledger: Ledger;
  editions: EditionStore;
  subscribers: SubscriberStore;
  transport: Transport;
  signer: TokenSigner;
  /** Aborting stops taking new messages; in-flight ones finish and are recorded. */
  signal?: AbortSignal;
  onProgress?: (progress: SendProgress) => void;
  now?: () => Date;
}

export interface SendSummary {
  editionId: number;
  list: string;
  day: string;
  /** Rows added to the ledger by this run (new subscribers since the last run included). */
  queued: number;
  /** Rows a crashed run left in flight, sent again with their Message-ID. */
  recovered: number;
  sent: number;
  failed: number;
  bounced: number;
  skipped: number;
  retried: number;
  /** Ledger totals for the edition at the end. */
  counts: DeliveryCounts;
  complete: boolean;
  interrupted: boolean;
  paused?: string;
  durationMs: number;
  /** When the next run should pick up messages still waiting for a retry. */
  nextRetryAt?: string;
}

const leaseStaleMs = 120_000;
const heartbeatMs = 15_000;
const pageSize = 500;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Spaces sends to at most `perSecond` (0: no limit). */
function rateLimiter(perSecond: number) {
  if (perSecond <= 0) return async () => {};
  const interval = 1000 / perSecond;
  let next = performance.now();
  return async () => {
    const now = performance.now();
    const wait = next - now;
    next = Math.max(now, next) + interval;
    if (wait > 0) await sleep(wait);
  };
}

/**
 * Sends an edition to every active subscriber of its list, resumable at any point: each ledger
 * row is claimed right before its send and marked sent right after the server accepts it.
 */
export async function sendEdition(edition: Edition, deps: SenderDeps): Promise<SendSummary> {
  const { config, ledger, transport, signal } = deps;
  const now = deps.now ?? (() => new Date());
  const started = performance.now();
  const owner = runOwner();
  const lease = await ledger.acquireRun(edition.id, owner, leaseStaleMs);
  if (!lease.acquired) {
    throw new PaperboyError('INPUT', `Another paperboy (${lease.holder}) is sending the ${edition.day} edition to ${edition.list}; wait for it to finish.`);
  }
  const heartbeat = setInterval(() => void ledger.heartbeat(edition.id, owner), heartbeatMs);
  heartbeat.unref();
  const summary: SendSummary = {
    editionId: edition.id, list: edition.list, day: edition.day, queued: 0, recovered: 0, sent: 0, failed: 0, bounced: 0,
    skipped: 0, retried: 0, counts: await ledger.counts(edition.id), complete: false, interrupted: false, durationMs: 0,
  };
  try {
    summary.recovered = await ledger.recoverInFlight(edition.id);
    summary.queued = await ledger.enqueue(edition.id, edition.list, senderDomain(config));
    const templates = compileSources(mailSources(edition.templates));
    const view = editionView({ day: edition.day, papers: edition.papers, newsletter: config.newsletter });
    const context = messageContext(config, edition, view, templates, deps.signer);
    const initial = await ledger.counts(edition.id);
    const progress: SendProgress = { sent: 0, failed: 0, total: initial.pending + initial.retry, startedAt: started };
    const limit = rateLimiter(config.delivery.rateLimit);
    const windowEnds = Date.now() + config.delivery.retryWindowMinutes * 60_000;
    let consecutiveFailures = 0;
    let stop = false;
    const halt = (reason: string) => {
      if (!summary.paused) summary.paused = reason;
      stop = true;
    };

    const deliver = async (row: DueDelivery): Promise<void> => {
      const claim = await ledger.claim(edition.id, row.subscriberId, edition.list);
      if (claim !== 'claimed') {
        if (claim === 'skipped') summary.skipped++;
        return;
      }
      const attempt = row.attempts + 1;
      try {
        await limit();
        await transport.send(buildMessage(context, row, now()));
        await ledger.markSent(edition.id, row.subscriberId);
        summary.sent++;
        progress.sent++;
        consecutiveFailures = 0;
      } catch (error) {
        const failure = classifyFailure(error);
        if (failure.kind === 'fatal') {
          await ledger.markRetry(edition.id, row.subscriberId, failure.reason, now());
          halt(`the server refused the run: ${failure.reason}`);
          return;
        }
        if (failure.kind === 'transient' && attempt < config.delivery.maxAttempts) {
          const delay = config.delivery.retryBaseMs * 2 ** (attempt - 1);
          await ledger.markRetry(edition.id, row.subscriberId, failure.reason, new Date(now().getTime() + delay));
          summary.retried++;
        } else {
          await ledger.markFailed(edition.id, row.subscriberId, failure.reason);
          summary.failed++;
          progress.failed++;
          if (failure.kind === 'bounce' && config.delivery.bouncePolicy === 'bounce') {
            await deps.subscribers.setStatus(row.subscriberId, 'bounced');
            summary.bounced++;
          }
        }
        // Dead mailboxes are normal; a run of retries or rejections means the transport is the problem.
        if (failure.kind !== 'bounce' && ++consecutiveFailures >= config.delivery.pauseAfterFailures) {
          halt(`${consecutiveFailures} sends in a row failed (last: ${failure.reason})`);
        }
      } finally {
        deps.onProgress?.(progress);
      }
    };

    /** One pass over every due row, `concurrency` at a time, page by page. */
    const pass = async () => {
      let afterId = 0;
      let page: DueDelivery[] = [];
      let index = 0;
      let exhausted = false;
      let fetching: Promise<void> | undefined;
      // Workers share one cursor; a page is fetched once even when several run dry together.
      const next = async (): Promise<DueDelivery | undefined> => {
        while (index >= page.length) {
          if (exhausted) return undefined;
          fetching ??= (async () => {
            page = await ledger.due(edition.id, afterId, pageSize, now());
            index = 0;
            if (page.length < pageSize) exhausted = true;
            if (page.length > 0) afterId = page.at(-1)!.subscriberId;
          })().finally(() => (fetching = undefined));
          await fetching;
        }
        return page[index++];
      };
      const worker = async () => {
        for (;;) {
          if (stop || signal?.aborted) return;
          const row = await next();
          if (!row) return;
          await deliver(row);
        }
      };
      const inFlight = Math.min(config.delivery.concurrency, transport.maxInFlight ?? Infinity);
      await Promise.all(Array.from({ length: inFlight }, worker));
    };

    for (;;) {
      await pass();
      if (stop || signal?.aborted) break;
      const nextRetry = await ledger.nextRetryAt(edition.id);
      if (!nextRetry || nextRetry.getTime() > windowEnds) break;
      await sleep(Math.max(0, nextRetry.getTime() - now().getTime()), signal);
      if (signal?.aborted) break;
    }
    await ledger.recordLastSent(edition.id);
    summary.interrupted = signal?.aborted ?? false;
    summary.counts = await ledger.counts(edition.id);
    const { pending, sending, retry } = summary.counts;
    summary.complete = pending + sending + retry === 0;
    if (summary.complete) await deps.editions.markCompleted(edition.id);
    const nextRetry = await ledger.nextRetryAt(edition.id);
    if (nextRetry) summary.nextRetryAt = nextRetry.toISOString();
    return summary;
  } finally {
    clearInterval(heartbeat);
    await ledger.releaseRun(edition.id, owner);
    summary.durationMs = performance.now() - started;
  }
}
