import { type Config, sendsRealMail } from '../config/index.js';
import type { Edition, EditionStore } from '../editions/index.js';
import type { Paper } from '../papers/index.js';
import type { Ledger } from '../ledger/index.js';
import { compileSources, editionView, mailSources } from '../render/index.js';
import { sleep } from '../sleep.js';
import type { SubscriberStore, TokenSigner } from '../subscribers/index.js';
import { editionAudience } from './audience.js';
import { RunLease } from './lease.js';
import { messageContext, senderDomain } from './message.js';
import { localPacer, sharedPacer } from './pacing.js';
import { EditionRun } from './run.js';
import { emptySummary, type SendProgress, type SendSummary } from './summary.js';
import type { Transport } from './transport.js';

export type { RelaySummary, SendProgress, SendSummary } from './summary.js';

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
  /** What saved-search alerts search: every paper of the edition's day; the edition's own when absent. */
  searched?: readonly Paper[];
}

/**
 * Sends an edition to its readers, resumable at any point: pass after pass over the due rows
 * (run.ts: claim, send, record, the failure policy), waiting within the run for retries due
 * before delivery.retryWindowMinutes is over, and, when senders share the edition, for the rows
 * a dead sender left until its lease runs out. The first error wins over one in the clean-up.
 */
export async function sendEdition(edition: Edition, deps: SenderDeps): Promise<SendSummary> {
  const { config, ledger } = deps;
  const now = deps.now ?? (() => new Date());
  const exclusive = deps.exclusive ?? true;
  const started = performance.now();
  const lease = await RunLease.start(ledger, edition, { leaseMs: config.delivery.leaseSeconds * 1000, exclusive });
  const summary = emptySummary(edition, lease.recovered, await ledger.counts(edition.id));
  let failure: unknown;
  try {
    lease.keepAlive(() => (summary.lostLease = true));
    const context = messageContext(
      config,
      edition,
      editionView({ day: edition.day, papers: edition.papers, newsletter: config.newsletter }),
      compileSources(mailSources(edition.templates)),
      deps.signer,
      deps.searched,
    );
    const { audience, skippedNoMatch } = await editionAudience(edition, ledger, context.personalizer);
    summary.skippedNoMatch = skippedNoMatch;
    // Real mail never goes to the demo readers, whatever a demo run left queued for them.
    const leaveOutDemo = sendsRealMail(config);
    if (leaveOutDemo) await ledger.setAsideDemo(edition.id);
    summary.queued = await ledger.enqueue(edition.id, edition.list, senderDomain(config), { ...audience, leaveOutDemo });
    const initial = await ledger.counts(edition.id);
    const { rateLimit } = config.delivery;
    const windowEnds = Date.now() + config.delivery.retryWindowMinutes * 60_000;
    const run = new EditionRun(
      edition,
      lease,
      summary,
      {
        config,
        ledger,
        subscribers: deps.subscribers,
        transport: deps.transport,
        context,
        now,
        pacer: exclusive ? localPacer(rateLimit) : sharedPacer((count, interval) => ledger.takeSendSlots(edition.id, count, interval), rateLimit),
        windowEnds,
        ...(deps.signal ? { signal: deps.signal } : {}),
        ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
      },
      initial.pending + initial.retry,
    );
    if (!exclusive) lease.onBeat = () => run.takeOverStale();
    await deliverAll(run, edition, lease, { ...deps, now, exclusive, windowEnds });
    await finish(run, edition, summary, deps, exclusive, lease.owner);
    return summary;
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    summary.durationMs = performance.now() - started;
    await lease.end().catch((error: unknown) => {
      if (failure === undefined) throw error;
    });
  }
}

/** Passes until nothing is due in this run: retries due within the window are waited for, a dead sender's rows taken over. */
async function deliverAll(run: EditionRun, edition: Edition, lease: RunLease, deps: SenderDeps & { now: () => Date; exclusive: boolean; windowEnds: number }) {
  const { ledger, signal, windowEnds } = deps;
  for (;;) {
    const taken = await run.pass();
    if (run.stopped) return;
    // Sharing the edition: a sender that died may hold rows; once its lease has run out they are ours.
    if (!deps.exclusive && (await run.takeOverStale()) > 0) continue;
    const nextRetry = await ledger.nextRetryAt(edition.id);
    if (nextRetry && nextRetry.getTime() <= windowEnds) {
      // Due rows that another sender holds are its to send: do not spin on them.
      await sleep(Math.max(taken === 0 ? 1000 : 0, nextRetry.getTime() - deps.now().getTime()), signal);
      if (signal?.aborted) return;
      continue;
    }
    if (deps.exclusive) return;
    const held = await ledger.heldByOthers(edition.id, lease.owner);
    if (held.rows === 0) return;
    // Others hold rows: wait for them to finish, or for a dead one's lease to run out (then they are
    // freed above). Look again every second: a live sender usually finishes its last page in well
    // under that, and this run should end when the edition does, not up to a lease's beat later.
    await sleep(Math.min(1000, Math.max(200, (held.leaseEndsAt?.getTime() ?? 0) - Date.now() + 200)), signal);
    if (signal?.aborted) return;
  }
}

async function finish(run: EditionRun, edition: Edition, summary: SendSummary, deps: SenderDeps, exclusive: boolean, owner: string) {
  const { ledger, signal } = deps;
  const top = run.failures.top();
  if (top) summary.topFailure = top;
  const relays = deps.transport.relays?.();
  if (relays) summary.relays = run.relays.summary(relays);
  await ledger.recordLastSent(edition.id);
  summary.interrupted = signal?.aborted ?? false;
  summary.counts = await ledger.counts(edition.id);
  const { pending, sending, retry } = summary.counts;
  summary.complete = pending + sending + retry === 0;
  if (!exclusive && !summary.complete && !run.stopped) {
    const held = (await ledger.heldByOthers(edition.id, owner)).rows;
    if (held > 0) summary.heldByOthers = held;
  }
  if (summary.complete) await deps.editions.markCompleted(edition.id);
  const nextRetry = await ledger.nextRetryAt(edition.id);
  if (nextRetry) summary.nextRetryAt = nextRetry.toISOString();
}
