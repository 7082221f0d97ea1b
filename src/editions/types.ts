import type { Paper } from '../papers/index.js';
import type { TemplateSources } from '../render/index.js';

/** An edition: the papers of one day for one list, frozen with the templates it is sent with. */
export interface Edition {
  id: number;
  list: string;
  day: string;
  source: string;
  papers: Paper[];
  templates: TemplateSources;
  templatesVersion: string;
  createdAt: string;
  completedAt?: string;
  /** The transport its last run went out through, without a password (for the commands printed after it). */
  transport?: string;
}

export interface DeliveryCounts {
  pending: number;
  sending: number;
  sent: number;
  retry: number;
  failed: number;
  skipped: number;
}

export interface EditionSummary {
  id: number;
  list: string;
  day: string;
  papers: number;
  createdAt: string;
  completedAt?: string;
  counts: DeliveryCounts;
}

export interface NewEdition {
  list: string;
  day: string;
  source: string;
  papers: readonly Paper[];
  templates: TemplateSources;
  templatesVersion: string;
}

export interface EditionStore {
  find(list: string, day: string): Promise<Edition | undefined>;
  findById(id: number): Promise<Edition | undefined>;
  /** The id of the newest edition of a day on any list (the public archive's page for that day). */
  latestIdOfDay(day: string): Promise<number | undefined>;
  /** Creates the edition unless one exists for (list, day); returns whichever is stored, and whether this call made it. */
  create(edition: NewEdition): Promise<{ edition: Edition; created: boolean }>;
  /** Records the transport a run sends the edition through (no password in it); null when it goes through the configured relays. */
  recordTransport(id: number, transport: string | null): Promise<void>;
  /** Ids of the papers featured on `list` in the daily editions of the `days` days before `day` (not the weekly roundup: daily readers never get it). */
  recentPaperIds(list: string, day: string, days: number): Promise<Set<string>>;
  list(options?: { list?: string; limit?: number }): Promise<EditionSummary[]>;
  markCompleted(id: number): Promise<void>;
  /** The newest edition of each day (any list), for the public archive: days and papers only. */
  archiveDays(limit: number): Promise<{ day: string; editionId: number; papers: number; createdAt: string }[]>;
}
