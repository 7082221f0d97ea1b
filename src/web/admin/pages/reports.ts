import type { StoredBounceEvent } from '../../../bounces/index.js';
import { type Html, html } from '../../html.js';
import { type AdminViewer, adminPage, csrfField } from './layout.js';
import { reportCells, reportHead } from './report-rows.js';
import { dataTable } from './table.js';

export interface ReportsPageInput {
  /** Reports kept back (unverified, or held by the inbound breaker), newest first. */
  waiting: readonly StoredBounceEvent[];
  /** The latest reports of every kind, newest first. */
  recent: readonly StoredBounceEvent[];
  /** What the last apply or dismiss did, said once after its redirect. */
  notice?: string;
  viewer: AdminViewer;
}

function reviewForms(event: StoredBounceEvent, viewer: AdminViewer): Html {
  const form = (verb: 'apply' | 'dismiss', label: string) =>
    html`<form method="post" action="/admin/reports/${verb}" class="inline">${csrfField(viewer)}<input type="hidden" name="id" value="${event.id}"><button type="submit" class="${verb}" aria-label="${label} report ${event.id}">${label}</button></form>`;
  return html`<div class="actions">${form('apply', 'Apply')} ${form('dismiss', 'Dismiss')}</div>`;
}

function waitingTable(input: ReportsPageInput): Html {
  return dataTable({
    caption: 'Reports waiting for review',
    head: [...reportHead, 'Review'],
    rows: input.waiting.map((event) => [...reportCells(event), reviewForms(event, input.viewer)]),
    rowAttributes: (index) => html`data-report="${input.waiting[index]!.id}"`,
    empty: 'Nothing is waiting for review.',
  });
}

function recentTable(recent: readonly StoredBounceEvent[]): Html {
  return dataTable({
    caption: 'The latest reports, newest first',
    head: reportHead,
    rows: recent.map(reportCells),
    empty: 'No bounce, complaint or auto-reply is recorded.',
  });
}

/** /admin/reports: bounces and complaints; those kept back can be applied or dismissed here. */
export function reportsPage(input: ReportsPageInput): string {
  const body = html`<h1>Reports</h1>
${input.notice ? html`<p class="notice" role="status">${input.notice}</p>` : ''}
<section aria-labelledby="waiting"><h2 id="waiting">Waiting for review</h2>
<p class="muted">Unverified reports named a reader by address alone; held ones were proven, but the inbound breaker stopped them. Apply does what the report would have done on arrival, as <code>paperboy bounces apply</code> does; Dismiss keeps it on record and changes nobody.</p>
${waitingTable(input)}
</section>
<section aria-labelledby="recent"><h2 id="recent">Latest reports</h2>
${recentTable(input.recent)}
</section>`;
  return adminPage('Reports', body, { viewer: input.viewer, section: 'reports' });
}
