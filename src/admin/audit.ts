/**
 * What the admin side records (who did what, when, from where). Sign-in and sign-out are
 * recorded here; each page that changes something records its own action.
 */
export type AdminAction =
  | 'sign-in'
  | 'sign-in-failed'
  | 'sign-out'
  | 'link-created'
  | 'link-used'
  | 'report-applied'
  | 'report-dismissed'
  | 'reader-resubscribed'
  | 'reader-unsubscribed';

export interface AuditEntry {
  /** ISO 8601. */
  at: string;
  /** The signed-in account, or the one a failed sign-in named. */
  account: string;
  /** The client's address as the web app sees it (behind a proxy: what web.trustProxy lets it believe); "" from the command line. */
  ip: string;
  action: AdminAction;
  /** What the action was about: a report's id, a reader's address. */
  target?: string;
  /** Anything else worth keeping, such as the reason given. */
  detail?: Record<string, unknown>;
}

export interface StoredAuditEntry extends AuditEntry {
  id: number;
  detail: Record<string, unknown>;
}
