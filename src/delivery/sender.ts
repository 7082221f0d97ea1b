import type { Config } from '../config/index.js';
import { editionView } from '../render/index.js';
import { compileSources, mailSources } from '../render/index.js';
import type { DeliveryCounts, Edition, EditionStore } from '../editions/index.js';
import { PaperboyError } from '../errors.js';
import type { SubscriberStore, TokenSigner } from '../subscribers/index.js';
import { classifyFailure, type FailureKind } from './failures.js';
import { editionAudience } from './audience.js';
import { batcher } from './batcher.js';
import { RunHealth } from './health.js';
import { runOwner, type DueDelivery, type Ledger } from '../ledger/index.js';
import { buildMessage, messageContext, senderDomain } from './message.js';
import type { Transport } from './transport.js';
import { sleep } from '../sleep.js';
import { count } from '../words.js';

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
  /** One sender per edition at a time (SQLite); a shared server store lets several share it. */
  exclusive?: boolean;
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
  /** Readers with frequency `alerts` left out because none of their saved searches matched this edition. */
  skippedNoMatch: number;
  /** Messages put back to wait for another try in this run. */
  retried: number;
  /** Ledger totals for the edition at the end. */
  counts: DeliveryCounts;
  complete: boolean;
  interrupted: boolean;
  paused?: string;
  /** Another run took the edition over while this one was stalled past its lease. */
  lostLease?: boolean;
  /** Sharing the edition: messages other live senders hold, which they finish. */
  heldByOthers?: number;
  /** The failure seen most often in this run. */
  topFailure?: { kind: FailureKind; reason: string; count: number };
  /** The SMTP pool was lowered to this many connections after 421 replies. */
  connectionsLoweredTo?: number;
  durationMs: number;
  /** When the next run should pick up messages still waiting for a retry. */
  nextRetryAt?: string;
}

/** Rows reserved at a time: enough to keep the workers busy, few enough that senders sharing an edition share it evenly. */
const pageSizeFor = (concurrency: number) => Math.min(500, Math.max(50, concurrency * 10));


/**
 * Spaces sends to at most `perSecond` for the whole edition (0: no limit): with several senders on
 * one edition each takes an equal share, re-read at every heartbeat from the live runs.
 */
function rateLimiter(perSecond: number, senders: number) {
  let interval = perSecond > 0 ? (1000 * senders) / perSecond : 0;
  let next = performance.now();
  return {
    share(count: number) {
      if (perSecond > 0) interval = (1000 * Math.max(1, count)) / perSecond;
    },
    async wait() {
      if (interval === 0) return;
      const now = performance.now();
      const wait = next - now;
      next = Math.max(now, next) + interval;
      if (wait > 0) await sleep(wait);
    },
  };
}

/** Connection failures must go on this long, as well as happen a few times, before the run pauses. */
const outageGraceMs = 2000;

/** Backoff for a row the server could not take now without it being the row's fault (421, outages). */
const connectionBackoffMs = (streak: number) => Math.min(30_000, 1000 * 2 ** Math.max(0, streak - 1));

/**
 * Sends an edition to every active subscriber of its list, resumable at any point: each ledger
 * row is claimed right before its send and recorded right after the server's answer, and every
 * failure is sorted by who is at fault (see failures.ts) before anything happens to a reader.
 */
export async function sendEdition(edition: Edition, deps: SenderDeps): Promise<SendSummary> {
  const { config, ledger, transport, signal } = deps;
  const { delivery } = config;
  const now = deps.now ?? (() => new Date());
  const started = performance.now();
  const owner = runOwner();
  const leaseMs = delivery.leaseSeconds * 1000;
  const heartbeatMs = Math.min(15_000, leaseMs / 4);
  const exclusive = deps.exclusive ?? true;
  const run = await ledger.startRun(edition.id, owner, { leaseMs, exclusive });
  if (!run.started) {
    throw new PaperboyError('INPUT', `Another paperboy (${run.holder}) is sending the ${edition.day} edition to ${edition.list}; wait for it to finish.`);
  }
  const summary: SendSummary = {
    editionId: edition.id, list: edition.list, day: edition.day, queued: 0, recovered: run.recovered, sent: 0, failed: 0, bounced: 0,
    skipped: 0, skippedNoMatch: 0, retried: 0, counts: await ledger.counts(edition.id), complete: false, interrupted: false, durationMs: 0,
  };
  let stop = false;
  const halt = (reason: string) => {
    if (!summary.paused) summary.paused = reason;
    stop = true;
  };
  const lose = () => {
    summary.lostLease = true;
    stop = true;
  };
  const limit = rateLimiter(delivery.rateLimit, run.senders);
  const heartbeat = setInterval(() => {
    void ledger.renewRun(edition.id, owner, leaseMs).then(({ held, senders }) => (held ? limit.share(senders) : lose()), () => undefined);
  }, heartbeatMs);
  heartbeat.unref();
  try {
    const templates = compileSources(mailSources(edition.templates));
    const view = editionView({ day: edition.day, papers: edition.papers, newsletter: config.newsletter });
    const context = messageContext(config, edition, view, templates, deps.signer);
    const { audience, skippedNoMatch } = await editionAudience(edition, ledger, context.personalizer);
    summary.skippedNoMatch = skippedNoMatch;
    summary.queued = await ledger.enqueue(edition.id, edition.list, senderDomain(config), audience);
    const initial = await ledger.counts(edition.id);
    const progress: SendProgress = { sent: 0, failed: 0, total: initial.pending + initial.retry, startedAt: started };
    const windowEnds = Date.now() + delivery.retryWindowMinutes * 60_000;
    const pageSize = pageSizeFor(delivery.concurrency);
    const health = new RunHealth({ ...delivery, outageGraceMs });
    const reasons = new Map<string, { kind: FailureKind; reason: string; count: number }>();
    const bouncedHere = new Set<number>();
    let suspect = false; // once the relay is found at fault, no reader is failed or bounced on its word

    /** Undoes failures that turned out to be the relay's: rows wait again, bounced readers are active again. */
    const undo = async (subscriberIds: number[], reason: string) => {
      const requeued = await ledger.requeue(edition.id, subscriberIds, owner, reason);
      summary.failed -= requeued;
      progress.failed -= requeued;
      for (const id of subscriberIds) {
        if (!bouncedHere.delete(id)) continue;
        await deps.subscribers.setStatus(id, 'active');
        summary.bounced--;
      }
    };

    const recordFailure = async (row: DueDelivery, error: unknown) => {
      const failure = classifyFailure(error);
      let { kind } = failure;
      const key = `${kind}\u0000${failure.reason}`;
      const seen = reasons.get(key) ?? { kind, reason: failure.reason, count: 0 };
      seen.count++;
      reasons.set(key, seen);
      if (suspect && (kind === 'bounce' || kind === 'reject')) kind = 'sender';
      const attempt = row.attempts + 1;
      const wait = (at: number, spendAttempt: boolean) =>
        ledger.markWaiting(edition.id, row.subscriberId, owner, { kind, reason: failure.reason, at: new Date(at), spendAttempt });
      let held = true;
      let shrank = false;
      if (kind === 'bounce' || kind === 'reject' || (kind === 'deferred' && attempt >= delivery.maxAttempts)) {
        const reason = kind === 'deferred' ? `gave up after ${count(attempt, 'attempt')}: ${failure.reason}` : failure.reason;
        held = await ledger.markFailed(edition.id, row.subscriberId, owner, { kind, reason });
        if (held) {
          summary.failed++;
          progress.failed++;
        }
        if (held && kind === 'bounce' && delivery.bouncePolicy === 'bounce') {
          await deps.subscribers.setStatus(row.subscriberId, 'bounced');
          bouncedHere.add(row.subscriberId);
          summary.bounced++;
        }
      } else if (kind === 'deferred') {
        held = await wait(now().getTime() + delivery.retryBaseMs * 2 ** (attempt - 1), true);
        summary.retried++;
      } else {
        const lowered = (error as { connectionsLoweredTo?: number } | undefined)?.connectionsLoweredTo;
        if (kind === 'throttle' && lowered) {
          summary.connectionsLoweredTo = Math.min(lowered, summary.connectionsLoweredTo ?? Infinity);
          shrank = true;
        }
        // Not the reader's doing: the attempt is given back, and the row waits (at once when the run pauses).
        const delay = kind === 'sender' ? 0 : connectionBackoffMs(health.outageStreak + 1);
        held = await wait(now().getTime() + delay, false);
        summary.retried++;
      }
      if (!held) return lose();
      const verdict = health.failure(kind, row.subscriberId, failure.reason, shrank);
      if (verdict.pause) {
        suspect ||= kind === 'bounce' || kind === 'reject';
        halt(verdict.pause);
      }
      if (verdict.undo) await undo(verdict.undo, `waiting: the run paused because ${verdict.pause}`);
    };

    // Group commit: claims and sent-marks that arrive together go as one statement each.
    const claimOne = batcher((ids: number[]) => ledger.claimMany(edition.id, ids, edition.list, owner));
    const markOneSent = batcher(async (ids: number[]) => {
      const marked = await ledger.markSentMany(edition.id, ids, owner);
      return new Map(ids.map((id) => [id, marked.has(id)]));
    });

    const deliver = async (row: DueDelivery): Promise<void> => {
      const claim = await claimOne(row.subscriberId);
      if (claim === 'lost') return lose();
      if (claim !== 'claimed') {
        if (claim === 'skipped') summary.skipped++;
        return;
      }
      try {
        await limit.wait();
        await transport.send(buildMessage(context, row, now()));
      } catch (error) {
        await recordFailure(row, error);
        deps.onProgress?.(progress);
        return;
      }
      summary.sent++; // it went out, whatever the ledger says next
      progress.sent++;
      deps.onProgress?.(progress);
      // Outside the transport's try: a store that fails here is no delivery failure of this
      // message (it went out); the run stops and the next one settles the row like a crash.
      if (!(await markOneSent(row.subscriberId))) return lose();
      health.success();
    };

    /** One pass over every due row, `concurrency` at a time, a reserved page at a time. */
    const pass = async (): Promise<number> => {
      let after = 0;
      let page: DueDelivery[] = [];
      let index = 0;
      let exhausted = false;
      let taken = 0;
      let fetching: Promise<void> | undefined;
      // Workers share one cursor; a page is reserved once even when several run dry together.
      const next = async (): Promise<DueDelivery | undefined> => {
        while (index >= page.length) {
          if (exhausted || stop) return undefined;
          fetching ??= (async () => {
            page = await ledger.reserve(edition.id, owner, pageSize, now(), after);
            index = 0;
            if (page.length < pageSize) exhausted = true;
            if (page.length > 0) after = page.at(-1)!.subscriberId;
          })().finally(() => (fetching = undefined));
          await fetching;
        }
        taken++;
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
      const inFlight = Math.min(delivery.concurrency, transport.maxInFlight ?? Infinity);
      await Promise.all(Array.from({ length: inFlight }, worker));
      return taken;
    };

    for (;;) {
      const taken = await pass();
      if (stop || signal?.aborted) break;
      const nextRetry = await ledger.nextRetryAt(edition.id);
      // Sharing the edition: a sender that died may still hold rows; once its lease has run out they are ours.
      if (!exclusive && (await ledger.recoverStale(edition.id)) > 0) continue;
      if (!nextRetry || nextRetry.getTime() > windowEnds) break;
      // Due rows that another sender holds are its to send: do not spin on them.
      await sleep(Math.max(taken === 0 ? 1000 : 0, nextRetry.getTime() - now().getTime()), signal);
      if (signal?.aborted) break;
    }
    const top = [...reasons.values()].sort((a, b) => b.count - a.count)[0];
    if (top) summary.topFailure = top;
    await ledger.recordLastSent(edition.id);
    summary.interrupted = signal?.aborted ?? false;
    summary.counts = await ledger.counts(edition.id);
    const { pending, sending, retry } = summary.counts;
    summary.complete = pending + sending + retry === 0;
    // Sharing the edition, nothing is due for this sender any more: what is left, other live senders hold.
    if (!exclusive && !summary.complete && !stop && !signal?.aborted && pending + sending > 0) summary.heldByOthers = pending + sending;
    if (summary.complete) await deps.editions.markCompleted(edition.id);
    const nextRetry = await ledger.nextRetryAt(edition.id);
    if (nextRetry) summary.nextRetryAt = nextRetry.toISOString();
    return summary;
  } finally {
    clearInterval(heartbeat);
    await ledger.endRun(edition.id, owner);
    summary.durationMs = performance.now() - started;
  }
}
