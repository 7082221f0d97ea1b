import type { ReaderDetail } from '../../../admin/queries.js';
import { type Subscriber, suppressedStatuses } from '../../../subscribers/index.js';
import { type Html, html } from '../../html.js';
import { utcTime } from './format.js';
import { type AdminViewer, adminPage, csrfField } from './layout.js';
import { reportCells, reportHead } from './report-rows.js';
import { dataTable } from './table.js';

export interface ReaderPageInput {
  /** The address looked up, if any. */
  email?: string;
  /** What the store holds about it (absent: nobody by that address). */
  detail?: ReaderDetail;
  /** What the last resubscribe or unsubscribe did, said once after its redirect. */
  notice?: string;
  viewer: AdminViewer;
}

function lookup(email: string | undefined): Html {
  return html`<form method="get" action="/admin/readers" role="search" class="lookup">
<label for="email">Email address</label>
<input id="email" name="email" type="email" value="${email ?? ''}" required autocomplete="off">
<button type="submit">Look up</button>
</form>`;
}

/** Unsubscribe someone who gets mail; bring back someone who stopped (only when they asked to). */
function changeForm(reader: Subscriber, viewer: AdminViewer): Html {
  const back = suppressedStatuses.has(reader.status);
  const hint = back
    ? `They are ${reader.status}: bring them back only when they asked to, and say how.`
    : 'They stop getting mail; the record stays, so no import adds them again.';
  return html`<form method="post" action="/admin/readers/${back ? 'resubscribe' : 'unsubscribe'}" class="change">
${csrfField(viewer)}<input type="hidden" name="email" value="${reader.email}">
<label for="reason">Reason (kept in the admin log)</label>
<input id="reason" name="reason" type="text" required maxlength="200">
<p class="muted">${hint}</p>
<button type="submit">${back ? 'Resubscribe' : 'Unsubscribe'}</button>
</form>`;
}

function facts(reader: Subscriber): Html {
  const items: [string, string][] = [
    ['Status', reader.status],
    ['Frequency', reader.preferences.frequency ?? 'daily'],
    ['Lists', reader.lists.join(', ') || '—'],
    ['Since', reader.createdAt.slice(0, 10)],
  ];
  return html`<dl class="facts">${items.map(([name, value]) => html`<div><dt>${name}</dt><dd data-fact="${name.toLowerCase()}">${value}</dd></div>`)}</dl>`;
}

function details({ reader, history, editions, reports }: ReaderDetail, viewer: AdminViewer): Html {
  return html`<h2>${reader.name ? `${reader.name} <${reader.email}>` : reader.email}</h2>
${facts(reader)}
${changeForm(reader, viewer)}
<section aria-labelledby="history"><h2 id="history">Status history</h2>
${dataTable({
  caption: 'Status changes, newest first',
  head: ['When', 'From', 'To', 'What happened'],
  rows: [...history].reverse().map((change) => [utcTime(change.at), change.from ?? '—', change.status, change.reason]),
  empty: 'No status change is recorded.',
})}
</section>
<section aria-labelledby="received"><h2 id="received">Editions</h2>
${dataTable({
  caption: 'Editions made for this reader, newest first',
  head: ['Edition', 'List', 'Delivery', 'Sent'],
  rows: editions.map((row) => [html`<a href="/admin/editions/${row.editionId}">${row.day}</a>`, row.list, row.status, utcTime(row.sentAt)]),
  empty: 'No edition has been made for them yet.',
})}
</section>
<section aria-labelledby="about"><h2 id="about">Reports about them</h2>
${dataTable({ caption: 'Bounces and complaints about this reader, newest first', head: reportHead, rows: reports.map(reportCells), empty: 'No bounce or complaint names them.' })}
</section>`;
}

/** /admin/readers: look a reader up by address; their history, editions, reports, and a way to stop or restart their mail. */
export function readerPage(input: ReaderPageInput): string {
  const found = input.detail ? details(input.detail, input.viewer) : input.email ? html`<p>Nobody by the address ${input.email} is on the list.</p>` : '';
  const body = html`<h1>Readers</h1>
${input.notice ? html`<p class="notice" role="status">${input.notice}</p>` : ''}
${lookup(input.email)}
${found}`;
  return adminPage(input.detail ? input.detail.reader.email : 'Readers', body, { viewer: input.viewer, section: 'readers' });
}
