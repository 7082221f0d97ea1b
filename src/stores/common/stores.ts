import type { BounceStore } from '../../bounces/index.js';
import type { EditionStore } from '../../editions/index.js';
import type { Ledger } from '../../ledger/index.js';
import type { SubscriberStore } from '../../subscribers/index.js';

/** Every store paperboy keeps, on one backend. Nothing outside the store folders knows which. */
export interface Stores {
  kind: 'sqlite' | 'postgres';
  subscribers: SubscriberStore;
  editions: EditionStore;
  ledger: Ledger;
  bounces: BounceStore;
  /** The random id made once per store (Message-IDs carry it). */
  storeId(): Promise<string>;
  /** Whether several senders may share one edition (a server database); SQLite keeps one at a time. */
  sharedSending: boolean;
  /**
   * Runs `work` (many small writes in a row, e.g. a mailbox of bounces) as one commit on SQLite,
   * where each commit costs more than the write; PostgreSQL commits each write as it goes. Keep
   * the work short: other writers wait for it.
   */
  writeBatch<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
