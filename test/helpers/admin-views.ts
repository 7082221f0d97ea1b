import type { EditionDetail, EditionRow, Overview, ReaderDetail, ReaderStatus, RunningSend } from '../../src/admin/queries.js';
import type { StoredBounceEvent } from '../../src/bounces/index.js';
import type { StoredAuditEntry } from '../../src/admin/index.js';

/** The admin pages' view models as the stores give them, made by hand for rendering tests. */

const days = Array.from({ length: 14 }, (_, index) => `2026-08-${String(8 + index).padStart(2, '0')}`);

type Counts = Pick<EditionRow, 'total' | 'sent' | 'failed' | 'retry' | 'pending' | 'skipped' | 'bounced' | 'complained'>;

const edition = (id: number, day: string, counts: Counts): EditionRow => ({
  id,
  day,
  list: 'default',
  papers: 10,
  createdAt: `${day}T05:59:58.000Z`,
  completedAt: `${day}T06:04:10.000Z`,
  ...counts,
});

export function overviewView(): Overview {
  return {
    days: days.map((day, index) => ({
      day,
      counts: { active: 1000 + index * 12, pending: 20 + (index % 3), unsubscribed: 40 + index, bounced: 5 + (index >> 2), complained: index > 10 ? 2 : 1 },
    })),
    flows: days.map((day, index) => ({ day, joined: 12 + (index % 4), lost: index % 3 })),
    now: { active: 1156, pending: 21, unsubscribed: 53, bounced: 8, complained: 2 },
    editions: [
      edition(3, '2026-08-21', { total: 1150, sent: 1140, failed: 6, retry: 2, pending: 2, skipped: 0, bounced: 3, complained: 3 }),
      edition(2, '2026-08-20', { total: 1138, sent: 1135, failed: 3, retry: 0, pending: 0, skipped: 0, bounced: 2, complained: 0 }),
      edition(1, '2026-08-19', { total: 1127, sent: 1126, failed: 0, retry: 0, pending: 0, skipped: 1, bounced: 0, complained: 1 }),
    ],
    complaintRate: { last30Days: 4 / 3401, complaints: 4, sent: 3401 },
  };
}

export function editionView(domains = 3): EditionDetail {
  return {
    edition: overviewView().editions[0]!,
    funnel: [
      { step: 'for', count: 1150 },
      { step: 'sent', count: 1140 },
      { step: 'not bounced', count: 1137 },
      { step: 'not complained', count: 1134 },
    ],
    failuresByReason: [
      { status: 'failed', kind: 'bounce', reason: 'mailbox unavailable (5.1.1)', count: 4 },
      { status: 'waiting', kind: 'deferred', reason: 'relay refused: </script><script>alert(1)</script>', count: 2 },
    ],
    failuresByDomain: Array.from({ length: domains }, (_, index) => ({
      domain: `mail${index + 1}.example.net`,
      failed: index === 0 ? 4 : 1,
      bounced: index % 2,
      complained: index === 1 ? 1 : 0,
    })),
    byRelay: [],
    firstSentAt: '2026-08-21T06:00:02.000Z',
    lastSentAt: '2026-08-21T06:04:09.000Z',
    papers: [
      { rank: 1, id: '2608.00001', title: 'DECO: Decoupled experts', url: 'https://huggingface.co/papers/2608.00001', upvotes: 120 },
      { rank: 2, id: '2608.00002', title: 'Scaling <laws> & friends', url: 'https://huggingface.co/papers/2608.00002', upvotes: 87 },
    ],
  };
}

export function runningView(): RunningSend[] {
  return [
    {
      editionId: 4,
      day: '2026-08-22',
      list: 'default',
      total: 1200,
      sent: 700,
      failed: 5,
      retry: 3,
      skipped: 0,
      pending: 492,
      senders: [
        { run: 'host-a:4121', startedAt: '2026-08-22T06:00:00.000Z', leaseUntil: '2026-08-22T06:02:00.000Z', sent: 400, claimed: 450 },
        { run: 'host-b:977', startedAt: '2026-08-22T06:00:01.000Z', leaseUntil: '2026-08-22T06:02:01.000Z', sent: 300, claimed: 350 },
      ],
    },
  ];
}

export function readerView(status: ReaderStatus = 'active'): ReaderDetail {
  return {
    reader: {
      id: 42,
      email: 'grace@example.org',
      name: 'Grace Hopper',
      status,
      source: 'web',
      preferences: { topics: [] },
      lists: status === 'active' ? ['default'] : [],
      createdAt: '2026-08-02T10:00:00.000Z',
      confirmedAt: '2026-08-02T10:00:05.000Z',
    },
    history: [
      { at: '2026-08-02T10:00:00.000Z', status: 'pending', reason: 'added (web)' },
      { at: '2026-08-02T10:00:05.000Z', status: 'active', from: 'pending', reason: 'confirmed' },
      ...(status === 'active' ? [] : [{ at: '2026-08-21T09:00:00.000Z', status, from: 'active' as const, reason: status }]),
    ],
    editions: [
      { editionId: 3, day: '2026-08-21', list: 'default', status: 'sent', sentAt: '2026-08-21T06:01:00.000Z' },
      { editionId: 2, day: '2026-08-20', list: 'default', status: 'sent', sentAt: '2026-08-20T06:01:00.000Z' },
    ],
    reports: reportViews().slice(0, 1),
  };
}

export function reportViews(): StoredBounceEvent[] {
  return [
    {
      id: 7,
      dedupeKey: 'arf-1:grace@example.org',
      subscriberId: 42,
      editionId: 3,
      kind: 'complaint',
      email: 'grace@example.org',
      source: 'ingest',
      action: 'unverified',
      evidence: 'address',
      receivedAt: '2026-08-21T08:59:00.000Z',
    },
    {
      id: 6,
      dedupeKey: 'dsn-1:ada@example.net',
      subscriberId: 41,
      editionId: 3,
      kind: 'bounce',
      email: 'ada@example.net',
      status: '5.1.1',
      hard: true,
      reason: 'user unknown',
      source: 'imap',
      action: 'bounced',
      evidence: 'return-path',
      receivedAt: '2026-08-21T07:00:00.000Z',
    },
  ];
}

export function auditViews(): StoredAuditEntry[] {
  return [
    { id: 2, at: '2026-08-21T09:10:00.000Z', account: 'admin', ip: '127.0.0.1', action: 'report-applied', target: 'report 5', detail: { outcome: 'bounced' } },
    { id: 1, at: '2026-08-21T09:00:00.000Z', account: 'admin', ip: '127.0.0.1', action: 'sign-in', detail: {} },
  ];
}

export const viewer = { account: 'admin', csrfToken: 'csrf-token-for-tests' };
