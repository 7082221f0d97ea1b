import type { AdminAuthStore, AdminQueries } from '../admin/index.js';
import type { BounceStore } from '../bounces/index.js';
import type { Config } from '../config/index.js';
import type { Transport } from '../delivery/index.js';
import type { EditionStore } from '../editions/index.js';
import type { PaperArchive } from '../papers/index.js';
import type { SubscriberStore, TokenSigner } from '../subscribers/index.js';

/** What the web app needs, built once by whoever starts it (the CLI, a test, a benchmark). */
export interface WebDeps {
  config: Readonly<Config>;
  subscribers: SubscriberStore;
  editions: EditionStore;
  /** Every kept paper, for the search page. */
  papers: PaperArchive;
  signer: TokenSigner;
  /** Sends confirmation emails. */
  transport: Transport;
  /** Where bounce webhooks record events (and the store id our Message-IDs carry); without it, no webhooks. */
  bounces?: { store: BounceStore; storeId: string };
  /** The admin side's sessions, links and audit trail: needed when `config.admin` turns /admin on. */
  adminAuth?: AdminAuthStore;
  /** What the admin dashboard reads (readers over time, editions, running sends, a reader's story): needed with adminAuth. */
  adminQueries?: AdminQueries;
  /** The live template preview (`serve --dev`): off in production. */
  dev?: boolean;
  /** Lift the per-IP subscribe limit (benchmarks only). */
  noRateLimit?: boolean;
  now?: () => Date;
  logger?: boolean | object;
}
