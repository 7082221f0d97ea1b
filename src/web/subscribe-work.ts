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
  /** The most forms one batch takes into the store: new requests' answers wait behind one batch's store work at most. */
  batch: number;
  /** Mails built and handed to the transport in one turn of the event loop (each is a hundred µs or more of rendering). */
  mailsPerTurn: number;
  /** The most mails handed to the transport and not yet sent: the rest wait unbuilt, a few hundred bytes each. */
  inFlight: number;
  /**
   * The most forms waiting for the store, and the most mails waiting to be built (minutes of a
   * slow relay's sending; bench:web's rush of 36,000 forms in 5 s held 17,000). Beyond either, new
   * answers wait for room: a rush that outlasts the machine or the relay slows the answers rather
   * than piling up work in memory, where a restart would lose it (the readers are stored by then:
   * they can ask again for the mail).
   */
  waiting: number;
  mails: number;
}

export const defaultQueueLimits: QueueLimits = { batch: 32, mailsPerTurn: 4, inFlight: 32, waiting: 1024, mails: 50_000 };

/** A mail to build and hand to the transport. */
type Mail = () => Promise<void>;

/**
 * The work of subscribe forms, done after their answers have gone out, in two stages that take
 * turns with the requests. The store stage takes a batch of forms: their addresses in one read,
 * the new readers in one transaction, the confirmation allowances in another. Its mails wait for
 * the mail stage, which builds a few in each turn of the event loop and hands each to the
 * transport as its own background task, up to limits.inFlight unsent at once. Requests that
 * arrive meanwhile are answered between the turns: a busy site's rush gets its answers at once,
 * everyone in it is in the store moments later, and the mails follow as fast as the relay takes
 * them.
 *
 * How long an answer waits for room depends on the queue alone: a second form for an address
 * whose form is still waiting is the same work again and is dropped, so that nobody can make the
 * queue's pace tell what state one address is in by sending its form many times.
 */
export class SubscribeQueue {
  private waiting: SubscribeRequest[] = [];
  private readonly waitingKeys = new Set<string>();
  private mails: Mail[] = [];
  private inFlight = 0;
  /** Room promised to answers whose forms have not joined yet. */
  private reserved = 0;
  private running = false;
  /** Answers held back until there is room, oldest first. */
  private readonly held: (() => void)[] = [];
  /** Wakes the work loop when it waits for a send to finish or a form to arrive. */
  private wake: (() => void) | undefined;

  constructor(
    private readonly deps: WebDeps,
    private readonly background: Background,
    private readonly limits: QueueLimits = defaultQueueLimits,
  ) {}

  /** Resolves, with room kept for it, when one more form may join: at once, unless a stage is full. Then `add` or `cancel`. */
  room(): Promise<void> {
    if (this.held.length === 0 && this.hasRoom()) {
      this.reserved++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.held.push(resolve));
  }

  /** The form whose room was kept. */
  add(request: SubscribeRequest): void {
    this.reserved = Math.max(0, this.reserved - 1);
    const key = emailKey(request.email);
    if (this.waitingKeys.has(key)) {
      this.releaseHeld();
      return;
    }
    this.waitingKeys.add(key);
    this.waiting.push(request);
    if (this.running) this.wakeUp();
    else this.start();
  }

  /** The room kept for a form that will not come (its answer failed). */
  cancel(): void {
    this.reserved = Math.max(0, this.reserved - 1);
    this.releaseHeld();
  }

  private hasRoom(): boolean {
    return this.waiting.length + this.reserved < this.limits.waiting && this.mails.length < this.limits.mails;
  }

  private releaseHeld(): void {
    while (this.held.length > 0 && this.hasRoom()) {
      this.reserved++;
      this.held.shift()!();
    }
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private start(): void {
    this.running = true;
    this.background.run('subscribe', () => this.work());
  }

  private startMail(mail: Mail): void {
    this.inFlight++;
    this.background.run('subscribe', () =>
      mail().finally(() => {
        this.inFlight--;
        this.wakeUp();
      }),
    );
  }

  private async work(): Promise<void> {
    try {
      while (this.waiting.length > 0 || this.mails.length > 0) {
        await nextTurn();
        if (this.waiting.length > 0 && this.mails.length < this.limits.mails) this.mails.push(...(await storeBatch(this.deps, this.takeBatch())));
        for (let started = 0; started < this.limits.mailsPerTurn && this.mails.length > 0 && this.inFlight < this.limits.inFlight; started++) {
          this.startMail(this.mails.shift()!);
        }
        this.releaseHeld();
        const canStore = this.waiting.length > 0 && this.mails.length < this.limits.mails;
        const canMail = this.mails.length > 0 && this.inFlight < this.limits.inFlight;
        if (!canStore && !canMail && this.mails.length > 0) await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      this.running = false;
      this.wake = undefined;
      // A batch that failed (and was logged) leaves the forms after it to a new run.
      if (this.waiting.length > 0 || this.mails.length > 0) this.start();
      this.releaseHeld();
    }
  }

  /** The oldest forms, up to a batch: no address is waiting twice, so none is in a batch twice. */
  private takeBatch(): SubscribeRequest[] {
    const batch = this.waiting.splice(0, this.limits.batch);
    for (const request of batch) this.waitingKeys.delete(emailKey(request.email));
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
async function storeBatch(deps: WebDeps, requests: readonly SubscribeRequest[]): Promise<Mail[]> {
  const known = new Map((await deps.subscribers.findByEmails(requests.map((request) => request.email))).map((each) => [emailKey(each.email), each]));
  const planned = requests
    .map((request) => ({ request, plan: plan(known.get(emailKey(request.email)), request.alerts) }))
    .filter((each) => each.plan.kind !== 'nothing');
  if (planned.length === 0) return [];

  // The new readers first: if the store fails here, no allowance is spent and the form can be sent again.
  const fresh = planned.filter((each) => each.plan.kind === 'confirm' && each.plan.reader === undefined).map((each) => each.request);
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

  const { confirmationIntervalMinutes: intervalMinutes, confirmationsPerDay: perDay } = deps.config.web;
  const now = (deps.now ?? (() => new Date()))();
  const slots = await deps.subscribers.takeConfirmationSlots(
    planned.map((each) => each.request.email),
    now,
    { intervalMinutes, perDay },
  );
  const allowed = planned.filter((_, index) => slots[index]);
  const allowedFresh = allowed.filter((each) => each.plan.kind === 'confirm' && each.plan.reader === undefined).map((each) => each.request.email);
  const added = allowedFresh.length ? new Map((await deps.subscribers.findByEmails(allowedFresh)).map((each) => [emailKey(each.email), each])) : new Map();

  return allowed.flatMap(({ request, plan: chosen }): Mail[] => {
    if (chosen.kind === 'propose') return [() => sendAlertProposal(deps, chosen.reader, chosen.proposed)];
    if (chosen.kind !== 'confirm') return [];
    const reader: Subscriber | undefined = chosen.reader ?? added.get(emailKey(request.email));
    if (!reader) return [];
    const purpose = reader.status === 'unsubscribed' ? 'resubscribe' : 'confirm';
    return [() => sendConfirmation(deps, reader, purpose, purpose === 'confirm' ? chosen.proposed : [])];
  });
}
