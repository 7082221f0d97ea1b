import { type Config, relaysOf } from '../config/index.js';
import { localWriteFailure } from '../db/index.js';
import type { Edition } from '../editions/index.js';
import type { DueDelivery, Ledger } from '../ledger/index.js';
import type { SubscriberStore } from '../subscribers/index.js';
import { batcher } from './batcher.js';
import { PageCursor } from './cursor.js';
import { classifyFailure } from './failures.js';
import { RunHealth, type Verdict } from './health.js';
import type { RunLease } from './lease.js';
import { buildMessage, type MessageContext } from './message.js';
import type { Pacer } from './pacing.js';
import { domainOf, FailurePolicy, type RowOutcome } from './patterns.js';
import { FailureTally, RelayTally, type SendProgress, type SendSummary } from './summary.js';
import type { SendResult, Transport } from './transport.js';

/**
 * Rows reserved at a time: enough to keep the workers busy, few enough that senders sharing an
 * edition share it evenly and finish together (the last page is one sender's alone: at a slow
 * relay's pace, 10 per worker would hold the others' end back for seconds).
 */
const pageSizeFor = (concurrency: number) => Math.min(500, Math.max(40, concurrency * 4));

/** delivery.concurrency, or 3 messages per SMTP connection, over every relay (see the config schema). */
export function inFlightOf(config: Readonly<Config>): number {
  if (config.delivery.concurrency !== undefined) return config.delivery.concurrency;
  const relays = relaysOf(config);
  const connections = relays.length > 0 ? relays.reduce((sum, relay) => sum + relay.maxConnections, 0) : config.delivery.maxConnections;
  return Math.min(200, 3 * connections);
}

/** Connection failures must go on this long, as well as happen a few times, before the run pauses. */
const outageGraceMs = 2000;

export interface RunParts {
  config: Readonly<Config>;
  ledger: Ledger;
  subscribers: SubscriberStore;
  transport: Transport;
  context: MessageContext;
  pacer: Pacer;
  signal?: AbortSignal;
  onProgress?: (progress: SendProgress) => void;
  now: () => Date;
  /** When this run stops retrying and leaves the rows still waiting to a later run. */
  windowEnds: number;
}

/**
 * The messages of one run of an edition: each row claimed right before its send and recorded
 * right after the server's answer; a failure goes through the failure policy (patterns.ts)
 * before anything happens to a reader, and what the relay turned out to be at fault for is undone.
 */
export class EditionRun {
  readonly health: RunHealth;
  private readonly policy: FailurePolicy;
  readonly failures = new FailureTally();
  readonly relays = new RelayTally();
  readonly progress: SendProgress;
  private readonly bouncedHere = new Set<number>();
  private readonly claimOne: (id: number) => Promise<string>;
  private readonly markOneSent: (sent: { subscriberId: number; relay?: string | undefined }) => Promise<boolean>;

  constructor(
    private readonly edition: Edition,
    private readonly lease: RunLease,
    private readonly summary: SendSummary,
    private readonly parts: RunParts,
    total: number,
  ) {
    const { delivery } = parts.config;
    this.health = new RunHealth({ ...delivery, outageGraceMs });
    this.policy = new FailurePolicy(delivery, this.health, parts.now, parts.windowEnds);
    this.progress = { sent: 0, failed: 0, total, startedAt: performance.now() };
    // Group commit: claims and sent-marks that arrive together go as one statement each.
    this.claimOne = batcher((ids: number[]) => parts.ledger.claimMany(edition.id, ids, edition.list, lease.owner));
    this.markOneSent = batcher(async (sent: { subscriberId: number; relay?: string | undefined }[]) => {
      const relayOf = new Map(sent.flatMap(({ subscriberId, relay }) => (relay === undefined ? [] : [[subscriberId, relay] as const])));
      const marked = await parts.ledger.markSentMany(
        edition.id,
        sent.map((each) => each.subscriberId),
        lease.owner,
        relayOf,
      );
      return new Map(sent.map((each) => [each, marked.has(each.subscriberId)]));
    });
  }

  /** The first error no message could go on after (the store or the disk failed); the run ends with it. */
  private fatal: { error: unknown } | undefined;

  /** Stop taking messages: paused, interrupted, failed, or the lease was lost. */
  get stopped(): boolean {
    return this.summary.paused !== undefined || this.lease.lost || this.fatal !== undefined || (this.parts.signal?.aborted ?? false);
  }

  halt(reason: string): void {
    this.summary.paused ??= reason;
  }

  private cursor: PageCursor | undefined;

  /**
   * Sharing the edition: frees the rows of senders whose lease ran out (a sender that died) and
   * has the pass go back for them, rather than leave them to the next pass.
   */
  async takeOverStale(): Promise<number> {
    const freed = await this.parts.ledger.recoverStale(this.edition.id);
    this.summary.recovered += freed.inFlight;
    this.summary.mayHaveGoneTwice += freed.inFlight;
    if (freed.inFlight + freed.reserved > 0) this.cursor?.rewind();
    return freed.inFlight + freed.reserved;
  }

  /** One pass over every due row, `concurrency` at a time; how many rows it took. */
  async pass(): Promise<number> {
    const { config, ledger, transport, now } = this.parts;
    const cursor = (this.cursor = new PageCursor(
      (after, limit) => ledger.reserve(this.edition.id, this.lease.owner, limit, now(), after),
      pageSizeFor(inFlightOf(config)),
      () => this.stopped,
    ));
    const worker = async () => {
      try {
        for (let row = await cursor.next(); row && !this.stopped; row = await cursor.next()) await this.deliver(row);
      } catch (error) {
        this.fatal ??= { error }; // the others finish what they have in flight, then the run ends with the first error
      }
    };
    const inFlight = Math.min(inFlightOf(config), transport.maxInFlight ?? Infinity);
    await Promise.all(Array.from({ length: inFlight }, worker));
    if (this.fatal) throw this.fatal.error;
    return cursor.taken;
  }

  private async deliver(row: DueDelivery): Promise<void> {
    const { summary, progress, parts } = this;
    const claim = await this.claimOne(row.subscriberId);
    if (claim === 'lost') return this.loseLease();
    if (claim !== 'claimed') {
      if (claim === 'skipped') summary.skipped++;
      return;
    }
    const held = this.policy.heldForDomain(row);
    if (held) return void (await this.apply(row, held));
    let result: SendResult;
    try {
      await parts.pacer.wait();
      // The run stopped while this one was claimed or paced: it waits for the next run, untried.
      if (this.stopped)
        return void (await this.apply(row, {
          action: 'wait',
          kind: 'sender',
          reason: 'not sent: the run stopped first',
          at: parts.now(),
          spendAttempt: false,
        }));
      result = await parts.transport.send(buildMessage(parts.context, row, parts.now()));
    } catch (error) {
      await this.recordFailure(row, error);
      parts.onProgress?.(progress);
      return;
    }
    summary.sent++; // it went out, whatever the ledger says next
    progress.sent++;
    this.relays.sent(result.relay);
    parts.onProgress?.(progress);
    // Outside the transport's try: a store that fails here is no delivery failure of this message
    // (it went out); the run stops and the next one settles the row like a crash.
    if (!(await this.markOneSent({ subscriberId: row.subscriberId, relay: result.relay }))) {
      summary.mayHaveGoneTwice++; // another run took the row over: it may send it again
      return this.loseLease();
    }
    this.health.success(domainOf(row.email));
  }

  private async recordFailure(row: DueDelivery, error: unknown): Promise<void> {
    // Our own disk full or read-only (the outbox folder): no reader's or relay's doing, and no retry helps. The run stops with it.
    const local = localWriteFailure(error);
    if (local) throw local;
    const failure = { ...classifyFailure(error), ...pick(error) };
    this.failures.add(failure.kind, failure.reason);
    if (failure.connectionsLoweredTo) this.summary.connectionsLoweredTo = Math.min(failure.connectionsLoweredTo, this.summary.connectionsLoweredTo ?? Infinity);
    const { row: outcome, verdict } = this.policy.decide(row, failure);
    // The server is out of reach: the sends still waiting for a connection need not wait out their own timeouts.
    if (verdict.pause && (failure.kind === 'outage' || failure.kind === 'throttle')) this.parts.transport.giveUpWaiting?.();
    if (!(await this.apply(row, outcome, relayOf(error)))) return;
    await this.follow(verdict);
  }

  /** Writes what becomes of the row (and the relay that refused it); false when the row is no longer this run's (the lease was lost). */
  private async apply(row: DueDelivery, outcome: RowOutcome, relay?: string): Promise<boolean> {
    const { ledger, subscribers } = this.parts;
    const { id } = this.edition;
    const { summary, progress } = this;
    let held: boolean;
    if (outcome.action === 'fail') {
      held = await ledger.markFailed(id, row.subscriberId, this.lease.owner, { kind: outcome.kind, reason: outcome.reason, ...(relay ? { relay } : {}) });
      if (held) {
        summary.failed++;
        progress.failed++;
        this.relays.failed(row.subscriberId, relay);
        if (outcome.bounce) {
          await subscribers.setStatus(row.subscriberId, 'bounced');
          this.bouncedHere.add(row.subscriberId);
          summary.bounced++;
        }
      }
    } else {
      held = await ledger.markWaiting(id, row.subscriberId, this.lease.owner, outcome);
      summary.retried++;
    }
    if (!held) this.loseLease();
    return held;
  }

  /** What the pattern says about the relay: pause the run, or one domain, and undo what was its fault. */
  private async follow(verdict: Verdict): Promise<void> {
    if (verdict.pause) this.halt(verdict.pause);
    if (verdict.undo) await this.undo(verdict.undo, `waiting: the run paused because ${verdict.pause}`);
    if (verdict.pauseDomain) {
      const { domain, reason, undo } = verdict.pauseDomain;
      (this.summary.pausedDomains ??= []).push({ domain, reason });
      await this.undo(undo, `waiting: mail to ${domain} was held because ${reason}`);
    }
  }

  /** Undoes failures that turned out to be the relay's: rows wait again, bounced readers are active again. */
  private async undo(subscriberIds: number[], reason: string): Promise<void> {
    const { summary, progress } = this;
    const requeued = await this.parts.ledger.requeue(this.edition.id, subscriberIds, this.lease.owner, reason);
    summary.failed -= requeued;
    progress.failed -= requeued;
    this.relays.undone(subscriberIds);
    for (const id of subscriberIds) {
      if (!this.bouncedHere.delete(id)) continue;
      await this.parts.subscribers.setStatus(id, 'active');
      summary.bounced--;
    }
  }

  private loseLease(): void {
    this.summary.lostLease = true;
    this.lease.lost = true;
  }
}

/** The relay a failed send came from (several relays: see relays/transport.ts). */
const relayOf = (error: unknown): string | undefined => {
  const relay = (error as { relay?: unknown } | undefined)?.relay;
  return typeof relay === 'string' ? relay : undefined;
};

/** What a transport may add to its error beyond what classifyFailure reads. */
const pick = (error: unknown): { connectionsLoweredTo?: number } => {
  const lowered = (error as { connectionsLoweredTo?: number } | undefined)?.connectionsLoweredTo;
  return lowered ? { connectionsLoweredTo: lowered } : {};
};
