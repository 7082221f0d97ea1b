import {
  type AdminQueries,
  daysUpTo,
  type EditionDetail,
  type EditionRow,
  editionPapers,
  funnel,
  type MessageCounts,
  noReaders,
  type Overview,
  type ReaderDetail,
  type RunningSend,
  readerHistory,
  statusHistory,
  troubleByDomain,
} from '../../admin/index.js';
import { type DeliveryCounts, emptyCounts } from '../../editions/index.js';
import { emailKey } from '../../subscribers/index.js';
import type { AdminReads, EditionHead, EditionSnapshot, LiveRun } from './admin-reads.js';

/** The complaint rate is over the editions of this many days. */
const complaintDays = 30;
const dayMs = 86_400_000;

const noFeedback = { bounces: 0, complaints: 0 };

/** A ledger's counts as the dashboard shows them (`editions show` names pending + sending "not yet sent"). */
function messageCounts({ pending, sending, sent, retry, failed, skipped }: DeliveryCounts): MessageCounts {
  return { total: pending + sending + sent + retry + failed + skipped, sent, failed, pending: pending + sending, retry, skipped };
}

const editionRow = (head: EditionHead, counts: DeliveryCounts, feedback = noFeedback): EditionRow => ({
  ...head,
  ...messageCounts(counts),
  bounced: feedback.bounces,
  complained: feedback.complaints,
});

/** The admin queries on either backend, made of what the backend reads (AdminReads). */
export class StoreAdminQueries implements AdminQueries {
  constructor(private readonly reads: AdminReads) {}

  async overview(options: { days: number; editions: number; now: Date }): Promise<Overview> {
    const window = daysUpTo(options.now, Math.max(1, options.days));
    const changes = await this.reads.statusChanges(window[0]!);
    const before = noReaders();
    for (const change of changes.before) before[change.status] += change.entered - change.exited;
    const since = new Date(options.now.getTime() - complaintDays * dayMs).toISOString();
    const rows = await this.editionRows(await this.reads.recentEditions(options.editions, since));
    const recent = rows.filter((row) => row.createdAt >= since);
    const sent = recent.reduce((sum, row) => sum + row.sent, 0);
    const complaints = recent.reduce((sum, row) => sum + row.complained, 0);
    return {
      ...statusHistory(before, changes.from, window),
      editions: rows.slice(0, options.editions),
      complaintRate: { last30Days: sent > 0 ? complaints / sent : 0, complaints, sent },
    };
  }

  /** Each edition's row: its kept counts, else kept now if it is finished, else counted live (a send is going on). */
  private async editionRows(heads: readonly EditionHead[]): Promise<EditionRow[]> {
    const ids = heads.map((head) => head.id);
    const stored = await this.reads.storedSnapshots(ids);
    const feedback = await this.reads.feedback(ids);
    const rows: EditionRow[] = [];
    for (const head of heads) {
      const counts = stored.get(head.id)?.counts ?? (await this.finished(head))?.counts ?? (await this.reads.liveCounts(head.id));
      rows.push(editionRow(head, counts, feedback.get(head.id)));
    }
    return rows;
  }

  private finished(head: EditionHead): Promise<EditionSnapshot | undefined> {
    return head.completedAt ? this.reads.finishSnapshot(head.id) : Promise.resolve(undefined);
  }

  async edition(id: number): Promise<EditionDetail | undefined> {
    const found = await this.reads.edition(id);
    if (!found) return undefined;
    const snapshot = (await this.reads.storedSnapshots([id])).get(id) ?? (await this.finished(found.head)) ?? (await this.reads.liveSnapshot(id));
    const row = editionRow(found.head, snapshot.counts, (await this.reads.feedback([id])).get(id));
    return {
      edition: row,
      funnel: funnel(row),
      failuresByReason: snapshot.failureGroups,
      failuresByDomain: troubleByDomain(snapshot.failedDomains, await this.reads.reportsByDomain(id)),
      byRelay: snapshot.relays,
      ...(snapshot.firstSentAt ? { firstSentAt: snapshot.firstSentAt } : {}),
      ...(snapshot.lastSentAt ? { lastSentAt: snapshot.lastSentAt } : {}),
      papers: editionPapers(found.papers),
    };
  }

  async running(now: Date): Promise<RunningSend[]> {
    const byEdition = new Map<number, LiveRun[]>();
    for (const run of await this.reads.liveRuns(now)) byEdition.set(run.editionId, [...(byEdition.get(run.editionId) ?? []), run]);
    const sends: RunningSend[] = [];
    for (const [editionId, runs] of byEdition) {
      const progress = await this.reads.runProgress(editionId);
      const counts = emptyCounts();
      for (const row of progress) counts[row.status] += row.n;
      const of = (run: string, statuses: readonly string[]) =>
        progress.filter((row) => row.run === run && statuses.includes(row.status)).reduce((sum, row) => sum + row.n, 0);
      sends.push({
        editionId,
        day: runs[0]!.day,
        list: runs[0]!.list,
        ...messageCounts(counts),
        senders: runs.map((run) => ({
          run: run.id,
          startedAt: run.startedAt,
          leaseUntil: run.leaseUntil,
          sent: of(run.id, ['sent']),
          claimed: of(run.id, ['pending', 'retry', 'sending']),
        })),
      });
    }
    return sends;
  }

  async reader(email: string): Promise<ReaderDetail | undefined> {
    const reader = await this.reads.reader(emailKey(email));
    if (!reader) return undefined;
    return {
      reader,
      history: readerHistory(reader, await this.reads.readerChanges(reader.id)),
      editions: await this.reads.readerEditions(reader.id),
      reports: await this.reads.readerReports(reader.id),
    };
  }
}
