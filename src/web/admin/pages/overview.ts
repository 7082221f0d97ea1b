import type { StoredAuditEntry } from '../../../admin/index.js';
import type { EditionRow, Overview, ReaderStatus } from '../../../admin/queries.js';
import { complaintLimitRate, complaintWarningRate, percent } from '../../../bounces/index.js';
import { type Html, html } from '../../html.js';
import { auditTable } from './audit.js';
import { chartFigure } from './chart.js';
import { number, share } from './format.js';
import { type AdminViewer, adminPage } from './layout.js';
import { dataTable } from './table.js';

export interface OverviewPageInput {
  overview: Overview;
  /** The latest admin actions, newest first. */
  audit: readonly StoredAuditEntry[];
  viewer: AdminViewer;
}

export const readerStatuses: readonly ReaderStatus[] = ['active', 'pending', 'unsubscribed', 'bounced', 'complained'];

function nowList(now: Record<ReaderStatus, number>): Html {
  return html`<dl class="stats">${readerStatuses.map((status) => html`<div><dt>${status}</dt><dd>${number(now[status])}</dd></div>`)}</dl>`;
}

/** Where the complaint rate stands against the bulk-sender rules of Gmail and Yahoo. */
function complaintVerdict(rate: number): { flag: 'ok' | 'warning' | 'limit'; words: string } {
  if (rate >= complaintLimitRate) return { flag: 'limit', words: `at or over ${percent(complaintLimitRate)}: mail providers start refusing the newsletter` };
  if (rate >= complaintWarningRate)
    return { flag: 'warning', words: `over ${percent(complaintWarningRate)}: keep it under that, never reach ${percent(complaintLimitRate)}` };
  return { flag: 'ok', words: `under ${percent(complaintWarningRate)}, as Gmail and Yahoo ask` };
}

function complaintSection(overview: Overview): Html {
  const { last30Days, complaints, sent } = overview.complaintRate;
  const verdict = complaintVerdict(last30Days);
  return html`<p class="verdict verdict-${verdict.flag}">Complaint rate, last 30 days: <strong>${percent(last30Days)}</strong> (${number(complaints)} of ${number(sent)} sent), ${verdict.words}.</p>`;
}

const editionLink = (row: EditionRow): Html => html`<a href="/admin/editions/${row.id}">${row.day}</a>`;

function editionsTable(editions: readonly EditionRow[]): Html {
  return dataTable({
    caption: 'The last editions, newest first',
    head: ['Edition', 'List', 'Sent', 'Failed', 'Waiting to retry', 'Not yet sent', 'Skipped', 'Bounced', 'Complained', 'Bounce rate', 'Complaint rate'],
    rows: editions.map((row) => [
      editionLink(row),
      row.list,
      row.sent,
      row.failed,
      row.retry,
      row.pending,
      row.skipped,
      row.bounced,
      row.complained,
      share(row.bounced, row.sent),
      share(row.complained, row.sent),
    ]),
    rowAttributes: (index) => html`data-edition="${editions[index]!.id}"`,
    empty: 'No edition has been made yet.',
  });
}

function statusChart(overview: Overview): Html {
  return chartFigure({
    id: 'readers-by-status',
    title: 'Readers by status',
    note: 'How many readers were in each status at the end of each day.',
    spec: {
      kind: 'lines',
      label: 'readers',
      series: [...readerStatuses],
      points: overview.days.flatMap((day) => readerStatuses.map((status) => ({ day: day.day, series: status, value: day.counts[status] }))),
    },
    table: dataTable({
      caption: 'Readers in each status at the end of the day',
      head: ['Day', ...readerStatuses],
      rows: overview.days.map((day) => [day.day, ...readerStatuses.map((status) => day.counts[status])]),
    }),
  });
}

function flowChart(overview: Overview): Html {
  return chartFigure({
    id: 'readers-joined-lost',
    title: 'New and lost readers per day',
    note: 'Joined: became active that day. Lost: left active (unsubscribed, bounced or complained).',
    spec: { kind: 'flows', label: 'readers', series: ['joined', 'lost'], days: overview.flows.map(({ day, joined, lost }) => ({ day, joined, lost })) },
    table: dataTable({
      caption: 'Readers joined and lost per day',
      head: ['Day', 'Joined', 'Lost'],
      rows: overview.flows.map((day) => [day.day, day.joined, day.lost]),
    }),
  });
}

function complaintChart(editions: readonly EditionRow[]): Html {
  const oldestFirst = [...editions].reverse();
  return chartFigure({
    id: 'complaint-rates',
    title: 'Complaint rate per edition',
    note: `Complaints over messages sent; the dashed lines are ${percent(complaintWarningRate)} and ${percent(complaintLimitRate)}.`,
    spec: {
      kind: 'rates',
      label: 'complaint rate',
      series: ['complained'],
      rules: [complaintWarningRate, complaintLimitRate],
      bars: oldestFirst.map((row) => ({ label: row.day, rate: row.sent > 0 ? row.complained / row.sent : 0 })),
    },
    table: dataTable({
      caption: 'Complaints per edition',
      head: ['Edition', 'Sent', 'Complained', 'Complaint rate'],
      rows: oldestFirst.map((row) => [row.day, row.sent, row.complained, share(row.complained, row.sent)]),
    }),
  });
}

/** /admin: the list over time, its last editions and the complaint rate, and the latest admin actions. */
export function overviewPage(input: OverviewPageInput): string {
  const { overview } = input;
  const body = html`<h1>Overview</h1>
<section aria-labelledby="readers-now"><h2 id="readers-now">Readers now</h2>${nowList(overview.now)}</section>
${complaintSection(overview)}
${statusChart(overview)}
${flowChart(overview)}
<section aria-labelledby="editions"><h2 id="editions">Editions</h2>
${editionsTable(overview.editions)}
</section>
${overview.editions.length > 0 ? complaintChart(overview.editions) : ''}
<section aria-labelledby="audit"><h2 id="audit">Admin actions</h2>
${auditTable(input.audit)}
</section>`;
  return adminPage('Overview', body, { viewer: input.viewer, section: 'overview', charts: true });
}
