import type { AdminAuthStore, AdminQueries } from '../../admin/index.js';
import type { BounceStore } from '../../bounces/index.js';
import type { EditionStore } from '../../editions/index.js';
import type { Ledger } from '../../ledger/index.js';
import type { PaperArchive } from '../../papers/index.js';
import type { SubscriberStore } from '../../subscribers/index.js';
import type { ClearedDemo } from './demo.js';

/** Every store paperboy keeps, on one backend. Nothing outside the store folders knows which. */
export interface Stores {
  kind: 'sqlite' | 'postgres';
  /** Where the store is, for people: the SQLite file, or the database URL without its password. */
  where: string;
  subscribers: SubscriberStore;
  editions: EditionStore;
  ledger: Ledger;
  bounces: BounceStore;
  /** Every paper of every fetched day, and full-text search over them. */
  papers: PaperArchive;
  /** The admin side's sessions, sign-in links and attempts, and its audit trail. */
  adminAuth: AdminAuthStore;
  /** What the admin dashboard reads: readers over time, editions' counts, running sends, one reader's story. */
  adminQueries: AdminQueries;
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
  /** Takes the demo out, in one transaction: its editions, its readers and the sample papers in the archive (see demo.ts). */
  clearDemo(): Promise<ClearedDemo>;
  /**
   * Closes the connection (SQLite) or the pools (PostgreSQL) under every store here. Only this
   * closes them: the four stores share them and none has a close() of its own.
   */
  close(): Promise<void>;
}
