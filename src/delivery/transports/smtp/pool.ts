import { Connection } from './connection.js';
import { dataOf, hasEightBitOctets } from './data.js';
import type { Job, JobSource } from './job.js';
import { openSession, type SessionSettings } from './session.js';
import { SmtpError } from './smtp-error.js';

export interface PoolSettings extends SessionSettings {
  maxConnections: number;
  /** Messages per second over the whole pool; 0 for no limit. */
  rateLimit: number;
}

/** A connection closing under a message before any of it went out hands it on; this often, and it fails. */
const maxRequeues = 3;

interface Waiter {
  idle: boolean;
  wake(more: boolean): void;
}

/**
 * Connections to one relay, opened as messages wait and none is free, up to maxConnections:
 * as many in flight as the relay's latency asks for. A 421 leaves one connection fewer for the
 * rest of the run; a connection that cannot be opened fails one waiting message with the reason.
 */
export class SmtpPool implements JobSource {
  private readonly queue: Job[] = [];
  private readonly waiters: Waiter[] = [];
  private readonly running = new Set<Promise<void>>();
  private opening = 0;
  private live = 0;
  private max: number;
  private closed = false;
  private nextSlotAt = 0;
  private slotTimer: NodeJS.Timeout | undefined;
  /** Connections that could not be opened since the last one that could, and when the next may be tried. */
  private failedOpens = 0;
  private nextOpenAt = 0;
  private openTimer: NodeJS.Timeout | undefined;

  constructor(private readonly settings: PoolSettings) {
    this.max = settings.maxConnections;
  }

  send(from: string, to: string, raw: Buffer): Promise<string> {
    return new Promise((resolve, reject) => {
      this.queue.push({ from, to, data: dataOf(raw), eightBit: hasEightBitOctets(raw), resolve, reject, requeued: 0 });
      this.dispatch();
    });
  }

  /** Fails every message still waiting for a connection: the run paused, nothing of them went out. */
  giveUpWaiting(): void {
    const error = new SmtpError('not sent: the run paused while it waited for a connection', { code: 'EABORT', command: 'CONN', nothingSent: true });
    for (const job of this.queue.splice(0)) job.reject(error);
  }

  /** Ends every session once what is in flight is answered. */
  async close(): Promise<void> {
    this.closed = true;
    this.giveUpWaiting();
    clearTimeout(this.slotTimer);
    clearTimeout(this.openTimer);
    for (const waiter of this.waiters.splice(0)) waiter.wake(false);
    await Promise.all(this.running);
  }

  take(): Job | undefined {
    if (this.queue.length === 0) return undefined;
    if (this.settings.rateLimit > 0) {
      const now = Date.now();
      if (now < this.nextSlotAt) {
        this.wakeAtNextSlot();
        return undefined;
      }
      this.nextSlotAt = Math.max(now, this.nextSlotAt) + 1000 / this.settings.rateLimit;
    }
    return this.queue.shift();
  }

  whenJob(idle: boolean): { ready: Promise<boolean>; cancel(): void } {
    if (this.closed) return { ready: Promise.resolve(false), cancel: () => {} };
    let waiter!: Waiter;
    const ready = new Promise<boolean>((resolve) => (waiter = { idle, wake: resolve }));
    this.waiters.push(waiter);
    return {
      ready,
      cancel: () => {
        const index = this.waiters.indexOf(waiter);
        if (index !== -1) this.waiters.splice(index, 1);
      },
    };
  }

  requeue(job: Job, error: SmtpError): void {
    if (++job.requeued > maxRequeues) {
      job.reject(error);
      return;
    }
    this.queue.unshift(job);
    this.dispatch();
  }

  throttled(): number | undefined {
    if (this.max <= 1) return undefined;
    return --this.max;
  }

  /** Wakes a free connection for the first waiting message (one with nothing in flight first), or opens one more. */
  private dispatch(): void {
    if (this.queue.length === 0 || this.closed) return;
    const idle = this.waiters.findIndex((waiter) => waiter.idle);
    if (idle !== -1) this.waiters.splice(idle, 1)[0]!.wake(true);
    else if (this.live + this.opening < this.max) this.openWhenDue();
    else this.waiters.shift()?.wake(true);
  }

  /**
   * After connections failed to open, the next waits a little (up to a second): the run hears of
   * the failures and pauses, rather than a fresh wave of connections failing a message each.
   */
  private openWhenDue(): void {
    const wait = this.nextOpenAt - Date.now();
    if (wait <= 0) {
      this.open();
      return;
    }
    this.openTimer ??= setTimeout(() => {
      this.openTimer = undefined;
      this.dispatch();
    }, wait);
  }

  private wakeAtNextSlot(): void {
    if (this.slotTimer) return;
    this.slotTimer = setTimeout(() => {
      this.slotTimer = undefined;
      this.dispatch();
    }, this.nextSlotAt - Date.now());
  }

  private open(): void {
    this.opening++;
    const running = openSession(this.settings).then(
      async (session) => {
        this.opening--;
        this.live++;
        this.failedOpens = 0;
        try {
          await new Connection(session, this).run();
        } finally {
          this.live--;
        }
      },
      (error: SmtpError) => {
        this.opening--;
        this.nextOpenAt = Date.now() + Math.min(1000, 50 * 2 ** this.failedOpens++);
        this.failOpen(error);
      },
    );
    const tracked = running.finally(() => {
      this.running.delete(tracked);
      this.dispatch(); // messages left waiting need a connection
    });
    this.running.add(tracked);
  }

  /** A connection that could not be opened fails the message that was waiting longest, with the reason. */
  private failOpen(error: SmtpError): void {
    const failure = error.unsent();
    if (error.responseCode === 421) {
      const lowered = this.throttled();
      if (lowered !== undefined) failure.connectionsLoweredTo = lowered;
    }
    this.queue.shift()?.reject(failure);
  }
}
