import type { ReaderDetail, ReaderStatus } from '../../../admin/queries.js';
import { type Html, html } from '../../html.js';
import { utcTime } from './format.js';
import { type AdminViewer, adminPage, csrfField } from './layout.js';
import { dataTable } from './table.js';

export interface ReaderPageInput {
  /** The address looked up, if any. */
  email?: string;
  /** What the store holds about it (absent: nobody by that address). */
  reader?: ReaderDetail;
  /** What the last resubscribe or unsubscribe did, said once after its redirect. */
  notice?: string;
  viewer: AdminViewer;
}

/** Statuses from which the operator may bring a reader back (they asked to come back). */
const stopped: ReadonlySet<ReaderStatus> = new Set(['unsubscribed', 'bounced', 'complained']);

function lookup(email: string | undefined): Html {
  return html`<form method="get" action="/admin/readers" role="search" class="lookup">
<label for="email">Email address</label>
<input id="email" name="email" type="email" value="${email ?? ''}" required autocomplete="off">
<button type="submit">Look up</button>
</form>`;
}

function changeForm(reader: ReaderDetail, viewer: AdminViewer): Html {
  const verb = stopped.has(reader.status) ? 'resubscribe' : 'unsubscribe';
  const label = verb === 'resubscribe' ? 'Resubscribe' : 'Unsubscribe';
  const hint =
    verb === 'resubscribe'
      ? `They are ${reader.status}: bring them back only when they asked to, and say how.`
      : 'They stop getting mail; the record stays, so no import adds them again.';
  return html`<form method="post" action="/admin/readers/${verb}" class="change">
${csrfField(viewer)}<input type="hidden" name="email" value="${reader.email}">
<label for="reason">Reason (kept in the reader's history and the admin log)</label>
<input id="reason" name="reason" type="text" required maxlength="200">
<p class="muted">${hint}</p>
<button type="submit">${label}</button>
</form>`;
}

function details(reader: ReaderDetail, viewer: AdminViewer): Html {
  return html`<h2>${reader.name ? `${reader.name} <${reader.email}>` : reader.email}</h2>
<dl class="facts"><div><dt>Status</dt><dd data-status>${reader.status}</dd></div><div><dt>Frequency</dt><dd>${reader.frequency}</dd></div><div><dt>Reader</dt><dd>#${reader.id}</dd></div></dl>
${changeForm(reader, viewer)}
<section aria-labelledby="history"><h2 id="history">Status history</h2>
${dataTable({ caption: 'Status changes, newest first', head: ['When', 'Status', 'Why'], rows: reader.history.map((row) => [utcTime(row.at), row.status, row.reason]) })}
</section>
<section aria-labelledby="received"><h2 id="received">Editions</h2>
${dataTable({
  caption: 'Editions for this reader, newest first',
  head: ['Edition', 'Delivery', 'Sent'],
  rows: reader.editions.map((row) => [html`<a href="/admin/editions/${row.editionId}">${row.day}</a>`, row.status, utcTime(row.sentAt)]),
  empty: 'No edition has been sent to them yet.',
})}
</section>
<section aria-labelledby="about"><h2 id="about">Reports about them</h2>
${dataTable({
  caption: 'Bounces and complaints about this reader, newest first',
  head: ['Report', 'Received', 'What', 'Action', 'Detail'],
  rows: reader.reports.map((row) => [String(row.id), utcTime(row.at), row.kind, row.action, row.detail]),
  empty: 'No bounce or complaint names them.',
})}
</section>`;
}

/** /admin/readers: look a reader up by address; their history, editions, reports, and a way to stop or restart their mail. */
export function readerPage(input: ReaderPageInput): string {
  const found = input.reader ? details(input.reader, input.viewer) : input.email ? html`<p>Nobody by the address ${input.email} is on the list.</p>` : '';
  const body = html`<h1>Readers</h1>
${input.notice ? html`<p class="notice" role="status">${input.notice}</p>` : ''}
${lookup(input.email)}
${found}`;
  return adminPage(input.reader ? input.reader.email : 'Readers', body, { viewer: input.viewer, section: 'readers' });
}
