export const subscriberStatuses = ['pending', 'active', 'unsubscribed', 'bounced', 'complained'] as const;
export type SubscriberStatus = (typeof subscriberStatuses)[number];
/** Statuses that must never be turned back to active by an import or a re-subscribe form. */
export const suppressedStatuses: ReadonlySet<SubscriberStatus> = new Set(['unsubscribed', 'bounced', 'complained']);

export const subscriberSources = ['cli', 'import', 'web'] as const;
export type SubscriberSource = (typeof subscriberSources)[number];

export const defaultListName = 'default';

/** How often a reader hears from the list: every edition, the weekly roundup, or only when an alert matches. */
export const frequencies = ['daily', 'weekly', 'alerts'] as const;
export type Frequency = (typeof frequencies)[number];

export interface Preferences {
  topics: string[];
  /** At most this many papers per digest; the edition's count when absent. */
  maxPapers?: number;
  /** Absent: daily (the default). */
  frequency?: Frequency;
  /** Saved searches (at most 5), normalized; absent when there are none. */
  alerts?: string[];
}

export interface Subscriber {
  id: number;
  email: string;
  name: string;
  status: SubscriberStatus;
  source: SubscriberSource;
  preferences: Preferences;
  /** Names of the lists this subscriber is an active member of. */
  lists: string[];
  createdAt: string;
  confirmedAt?: string;
  unsubscribedAt?: string;
  lastSentAt?: string;
  /** One of the demo readers seeded from example.csv: they only ever get the outbox, never real mail. */
  demo?: true;
}

export interface List {
  name: string;
  description: string;
  /** Offered on the preferences page to anyone; a private list is joined only through the operator. */
  public: boolean;
  createdAt: string;
  /** Active members whose subscriber status is active. */
  activeCount: number;
  memberCount: number;
}

export interface SubscriberFilter {
  list?: string;
  status?: SubscriberStatus;
  /** Only the demo readers (true), or only the others (false). */
  demo?: boolean;
}

/** One subscriber to create or merge into the store (already validated). */
export interface SubscriberInput {
  email: string;
  name?: string;
  topics?: string[];
  /** Given: replaces the stored one; absent: keeps it (daily for someone new). */
  frequency?: Frequency;
  /** Given: replaces the stored ones; absent: keeps them. */
  alerts?: string[];
  status: SubscriberStatus;
  source: SubscriberSource;
  /** Lists to join (at least one). */
  lists: readonly string[];
  /** A demo reader (seeded from example.csv). Marks someone new only: merging never changes it. */
  demo?: boolean;
}

export type UpsertOutcome = 'added' | 'updated' | 'unchanged' | 'kept-suppressed' | 'resubscribed';

export interface UpsertOptions {
  /** Allow an active/pending input to re-activate someone unsubscribed, bounced or complained. */
  resubscribe?: boolean;
}

/** How many confirmation mails one address may get. */
export interface ConfirmationLimits {
  /** At most one per this many minutes… */
  intervalMinutes: number;
  /** …and this many per day. */
  perDay: number;
}

/**
 * What paperboy needs from a subscriber database: src/stores/sqlite and src/stores/postgres
 * implement it. Every method is async because the PostgreSQL one goes over the network.
 * Like the other stores it has no close(): it runs on a connection it shares, which whoever
 * opened it closes.
 */
export interface SubscriberStore {
  createList(name: string, description?: string, options?: { public?: boolean }): Promise<void>;
  removeList(name: string): Promise<void>;
  listLists(): Promise<List[]>;
  hasList(name: string): Promise<boolean>;

  /** The subscriber of this mailbox, however its local part is capitalised. */
  findByEmail(email: string): Promise<Subscriber | undefined>;
  /** The subscribers of these mailboxes, those there are, in one read (in no particular order). */
  findByEmails(emails: readonly string[]): Promise<Subscriber[]>;
  findById(id: number): Promise<Subscriber | undefined>;
  /** Inserts or merges each input in one transaction; the outcomes come back in order. */
  upsertMany(inputs: readonly SubscriberInput[], options?: UpsertOptions): Promise<UpsertOutcome[]>;
  /** Keeps the record, stops mail: on one list, or everywhere when `list` is absent. */
  unsubscribe(id: number, list?: string): Promise<void>;
  setStatus(id: number, status: SubscriberStatus): Promise<void>;
  setPreferences(id: number, preferences: Preferences, lists?: readonly string[]): Promise<void>;
  /** Deletes the person and everything stored about them. */
  remove(id: number): Promise<void>;
  /**
   * Takes one confirmation mail from each address's allowance, in order and in one transaction,
   * and says for each whether it may be sent (an address named twice takes two). Kept in the
   * store, so the limit holds across restarts and every process on it.
   */
  takeConfirmationSlots(emails: readonly string[], now: Date, limits: ConfirmationLimits): Promise<boolean[]>;
  /** Runs `work` and then undoes every write it made (for --dry-run). */
  rehearse<T>(work: () => Promise<T>): Promise<T>;

  /** One page, ordered by id, after `afterId`: memory never grows with the list. */
  page(filter: SubscriberFilter, afterId: number, limit: number): Promise<Subscriber[]>;
  count(filter: SubscriberFilter): Promise<number>;
}
