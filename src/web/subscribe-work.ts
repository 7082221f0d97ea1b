import { setImmediate as nextTurn } from 'node:timers/promises';
import { defaultListName, emailKey, type Frequency, type Subscriber } from '../subscribers/index.js';
import { sendAlertProposal } from './alert-proposal-mail.js';
import { newAlerts } from './alert-proposals.js';
import type { Background } from './background.js';
import { sendConfirmation } from './confirmation.js';
import type { WebDeps } from './context.js';

/** What one subscribe form asked for, checked. */
export interface SubscribeRequest {
  email: string;
  name: string;
  topics: string[];
  frequency: Frequency;
  alerts: string[];
}

/** How much a SubscribeQueue takes at once and holds. */
export interface QueueLimits {
  /** The most requests one batch takes into the store: new requests' answers wait behind one batch's store work at most. */
  batch: number;
  /** Mails built and handed to the transport in one turn of the event loop (each is a hundred µs or more of rendering). */
  mailsPerTurn: number;
  /**
   * The most requests waiting for the store, and the most mails waiting to be built (some
   * fifteen seconds of them on a 2-core machine; bench:web's rush held 17,000 and took the server
   * from 155 to 420 MB). Beyond either, new answers wait for room: a rush that outlasts the
   * machine slows the answers rather than piling up work in memory, where a restart would lose it
   * (the readers are stored by then: they can ask again for the mail).
   */
  waiting: number;
  mails: number;
}

export const defaultQueueLimits: QueueLimits = { batch: 32, mailsPerTurn: 4, waiting: 1024, mails: 50_000 };

/** A mail to build and hand to the transport. */
type Mail = () => Promise<void>;

/**
 * The work of subscribe forms, done after their answers have gone out, in two stages that take
 * turns with the requests. The store stage takes a batch of requests: their addresses in one read,
 * their confirmation allowances in one transaction, the new readers in another. Its mails wait for
 * the mail stage, which builds a few in each turn of the event loop and hands each to the
 * transport as its own background task (a slow relay holds up nothing else). Requests that arrive
 * meanwhile are answered between the turns: a busy site's rush gets its answers at once, everyone
 * in it is in the store moments later, and the mails follow in the seconds after.
 */
export class SubscribeQueue {
  private waiting: SubscribeRequest[] = [];
  private mails: Mail[] = [];
  private running = false;
  /** Answers held back until there is room, oldest first. */
  private held: (() => void)[] = [];

  constructor(
    private readonly deps: WebDeps,
    private readonly background: Background,
    private readonly limits: QueueLimits = defaultQueueLimits,
  ) {}

  /** Resolves when one more request may join: at once, unless a stage is full. */
  room(): Promise<void> {
    if (this.hasRoom() && this.held.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.held.push(resolve));
  }

  add(request: SubscribeRequest): void {
    this.waiting.push(request);
    if (!this.running) this.start();
  }

  private hasRoom(): boolean {
    return this.waiting.length < this.limits.waiting && this.mails.length < this.limits.mails;
  }

  private releaseHeld(): void {
    let room = Math.min(this.limits.waiting - this.waiting.length, this.limits.mails - this.mails.length);
    while (room-- > 0 && this.held.length > 0) this.held.shift()!();
  }

  private start(): void {
    this.running = true;
    this.background.run('subscribe', () => this.work());
  }

  private async work(): Promise<void> {
    try {
      while (this.waiting.length > 0 || this.mails.length > 0) {
        await nextTurn();
        if (this.waiting.length > 0 && this.mails.length < this.limits.mails) this.mails.push(...(await storeBatch(this.deps, this.takeBatch())));
        for (const mail of this.mails.splice(0, this.limits.mailsPerTurn)) this.background.run('subscribe', mail);
        this.releaseHeld();
      }
    } finally {
      this.running = false;
      // A batch that failed (and was logged) leaves the requests after it to a new run.
      if (this.waiting.length > 0 || this.mails.length > 0) this.start();
      else for (const release of this.held.splice(0)) release();
    }
  }

  /** Up to a batch of requests, oldest first, no address twice: a second form for an address waits for the next batch, which sees what the first did. */
  private takeBatch(): SubscribeRequest[] {
    const batch: SubscribeRequest[] = [];
    const keys = new Set<string>();
    this.waiting = this.waiting.filter((request) => {
      const key = emailKey(request.email);
      if (batch.length === this.limits.batch || keys.has(key)) return true;
      keys.add(key);
      batch.push(request);
      return false;
    });
    return batch;
  }
}

/** What a request comes to, given who has its address. */
type Plan =
  | { kind: 'nothing' }
  | { kind: 'propose'; reader: Subscriber; proposed: string[] }
  | { kind: 'confirm'; reader: Subscriber | undefined; proposed: string[] };

/**
 * A new address becomes pending with what the form said (name, topics, daily or weekly, the search
 * page's alerts); an existing record is never changed by a stranger's form (a pending record's
 * name, topics and frequency change only through the owner's links, and someone who unsubscribed
 * comes back only by clicking the link mailed to them). The search page's alerts reach an existing
 * reader the same way: an active one gets a link to their preferences page with the searches
 * proposed, a pending one a confirmation link that adds them.
 */
function plan(existing: Subscriber | undefined, alerts: readonly string[]): Plan {
  const proposed = existing ? newAlerts(existing.preferences.alerts ?? [], alerts) : [];
  // Active without new searches, bounced, complained; and the demo readers, who never get real mail.
  if (existing?.status === 'active' && proposed.length > 0 && !existing.demo) return { kind: 'propose', reader: existing, proposed };
  if (existing && existing.status !== 'pending' && existing.status !== 'unsubscribed') return { kind: 'nothing' };
  return { kind: 'confirm', reader: existing, proposed };
}

/**
 * One batch of subscribe requests, with distinct addresses, into the store; the mails it calls
 * for. Every mail is taken from the address's allowance first, so nobody can be mail-bombed
 * through us.
 */
export async function storeBatch(deps: WebDeps, requests: readonly SubscribeRequest[]): Promise<Mail[]> {
  const known = new Map((await deps.subscribers.findByEmails(requests.map((request) => request.email))).map((each) => [emailKey(each.email), each]));
  const planned = requests
    .map((request) => ({ request, plan: plan(known.get(emailKey(request.email)), request.alerts) }))
    .filter((each) => each.plan.kind !== 'nothing');
  if (planned.length === 0) return [];

  const { confirmationIntervalMinutes: intervalMinutes, confirmationsPerDay: perDay } = deps.config.web;
  const now = (deps.now ?? (() => new Date()))();
  const slots = await deps.subscribers.takeConfirmationSlots(
    planned.map((each) => each.request.email),
    now,
    { intervalMinutes, perDay },
  );
  const allowed = planned.filter((_, index) => slots[index]);

  const fresh = allowed.filter((each) => each.plan.kind === 'confirm' && each.plan.reader === undefined).map((each) => each.request);
  if (fresh.length > 0) {
    await deps.subscribers.upsertMany(
      fresh.map(({ email, name, topics, frequency, alerts }) => ({
        email,
        name,
        topics,
        frequency,
        ...(alerts.length ? { alerts } : {}),
        status: 'pending' as const,
        source: 'web',
        lists: [defaultListName],
      })),
    );
  }
  const added = fresh.length
    ? new Map((await deps.subscribers.findByEmails(fresh.map((request) => request.email))).map((each) => [emailKey(each.email), each]))
    : new Map();

  return allowed.flatMap(({ request, plan: chosen }): Mail[] => {
    if (chosen.kind === 'propose') return [() => sendAlertProposal(deps, chosen.reader, chosen.proposed)];
    if (chosen.kind !== 'confirm') return [];
    const reader: Subscriber | undefined = chosen.reader ?? added.get(emailKey(request.email));
    if (!reader) return [];
    const purpose = reader.status === 'unsubscribed' ? 'resubscribe' : 'confirm';
    return [() => sendConfirmation(deps, reader, purpose, purpose === 'confirm' ? chosen.proposed : [])];
  });
}
