// The view models of /tmp/admin-design.md, as the design gives them; admin-data's module replaces this file on merge.
export type ReaderStatus = 'pending' | 'active' | 'unsubscribed' | 'bounced' | 'complained';
export interface StatusDay {
  day: string;
  counts: Record<ReaderStatus, number>;
}
export interface FlowDay {
  day: string;
  joined: number;
  lost: number;
}
export interface EditionRow {
  id: number;
  day: string;
  list: string;
  total: number;
  sent: number;
  failed: number;
  pending: number;
  skipped: number;
  bounced: number;
  complained: number;
  completedAt?: string;
}
export interface Overview {
  days: StatusDay[];
  flows: FlowDay[];
  now: Record<ReaderStatus, number>;
  editions: EditionRow[];
  complaintRate: { last30Days: number; complaints: number; sent: number };
}
export interface EditionDetail {
  edition: EditionRow;
  funnel: { step: string; count: number }[];
  failuresByReason: { reason: string; count: number }[];
  failuresByDomain: { domain: string; failed: number; bounced: number; complained: number }[];
  byRelay: { relay: string; sent: number; failed: number }[];
  firstSentAt?: string;
  lastSentAt?: string;
  papers: { rank: number; title: string; url: string }[];
}
export interface RunningSend {
  editionId: number;
  day: string;
  total: number;
  sent: number;
  failed: number;
  pending: number;
  senders: { run: string; startedAt: string; leaseUntil: string; sent: number; claimed: number }[];
}
export interface ReaderDetail {
  id: number;
  email: string;
  name: string;
  status: ReaderStatus;
  frequency: string;
  history: { at: string; status: ReaderStatus; reason: string }[];
  editions: { editionId: number; day: string; status: string; sentAt?: string }[];
  reports: { id: number; at: string; kind: string; action: string; detail: string }[];
}
export interface AdminQueries {
  overview(options: { days: number; editions: number; now: Date }): Promise<Overview>;
  edition(id: number): Promise<EditionDetail | undefined>;
  running(now: Date): Promise<RunningSend[]>;
  reader(email: string): Promise<ReaderDetail | undefined>;
}
