import type { EditionDetail } from '../../../admin/queries.js';
import { count } from '../../../words.js';
import { type Html, html } from '../../html.js';
import { chartFigure } from './chart.js';
import { duration, number, share, utcTime } from './format.js';
import { type AdminViewer, adminPage } from './layout.js';
import { dataTable } from './table.js';

export interface EditionPageInput {
  detail: EditionDetail;
  viewer: AdminViewer;
}

/** Domains shown in the chart; the table has them all. */
const chartedDomains = 10;

function funnelChart(detail: EditionDetail): Html {
  const first = detail.funnel[0]?.count ?? 0;
  return chartFigure({
    id: 'funnel',
    title: 'Delivery funnel',
    note: 'From the readers the edition was for to the messages that stayed delivered.',
    spec: {
      kind: 'bars',
      label: 'readers',
      series: ['funnel'],
      bars: detail.funnel.map((step) => ({ label: step.step, series: 'funnel', value: step.count })),
    },
    table: dataTable({
      caption: 'Delivery funnel',
      head: ['Step', 'Readers', 'Of the first step'],
      rows: detail.funnel.map((step) => [step.step, step.count, share(step.count, first)]),
    }),
  });
}

function reasonChart(detail: EditionDetail): Html {
  if (detail.failuresByReason.length === 0) return html`<p class="muted">No message of this edition failed.</p>`;
  const statuses = [...new Set(detail.failuresByReason.map((group) => group.status))];
  return chartFigure({
    id: 'failure-reasons',
    title: 'Failures by reason',
    note: 'Failed for good, or waiting for another try, as paperboy editions show groups them.',
    spec: {
      kind: 'bars',
      label: 'messages',
      series: statuses,
      bars: detail.failuresByReason.map((group) => ({ label: group.reason, series: group.status, value: group.count })),
    },
    table: dataTable({
      caption: 'Failures by reason',
      head: ['Status', 'Kind', 'Reason', 'Messages'],
      rows: detail.failuresByReason.map((group) => [group.status, group.kind, group.reason, group.count]),
    }),
  });
}

function domainChart(detail: EditionDetail): Html {
  if (detail.failuresByDomain.length === 0) return html`<p class="muted">No recipient domain failed, bounced or complained.</p>`;
  const kinds = ['failed', 'bounced', 'complained'] as const;
  return chartFigure({
    id: 'failure-domains',
    title: 'Failures by recipient domain',
    note: detail.failuresByDomain.length > chartedDomains ? `The ${chartedDomains} domains with the most; the table has every one.` : undefined,
    spec: {
      kind: 'bars',
      label: 'readers',
      series: [...kinds],
      bars: detail.failuresByDomain.slice(0, chartedDomains).flatMap((row) => kinds.map((kind) => ({ label: row.domain, series: kind, value: row[kind] }))),
    },
    table: dataTable({
      caption: 'Failures by recipient domain',
      head: ['Domain', 'Failed', 'Bounced', 'Complained'],
      rows: detail.failuresByDomain.map((row) => [row.domain, row.failed, row.bounced, row.complained]),
    }),
  });
}

function relayTable(detail: EditionDetail): Html {
  if (detail.byRelay.length === 0) return html``;
  return html`<section aria-labelledby="relays"><h2 id="relays">Per relay</h2>
${dataTable({ caption: 'Messages per relay', head: ['Relay', 'Sent', 'Failed'], rows: detail.byRelay.map((row) => [row.relay, row.sent, row.failed]) })}
</section>`;
}

function timing(detail: EditionDetail): Html {
  if (!detail.firstSentAt || !detail.lastSentAt) return html`<p class="muted">No message of this edition has gone out yet.</p>`;
  return html`<p>First message ${utcTime(detail.firstSentAt)}, last ${utcTime(detail.lastSentAt)}: <strong>${duration(detail.firstSentAt, detail.lastSentAt)}</strong> from first to last.</p>`;
}

function summary(detail: EditionDetail): Html {
  const row = detail.edition;
  const figures: [string, number][] = [
    ['for', row.total],
    ['sent', row.sent],
    ['failed', row.failed],
    ['waiting to retry', row.retry],
    ['not yet sent', row.pending],
    ['skipped', row.skipped],
    ['bounced', row.bounced],
    ['complained', row.complained],
  ];
  return html`<dl class="stats">${figures.map(([name, value]) => html`<div><dt>${name}</dt><dd data-count="${name}">${number(value)}</dd></div>`)}</dl>
<p class="muted">Bounce rate ${share(row.bounced, row.sent)}, complaint rate ${share(row.complained, row.sent)}${row.completedAt ? `; completed ${utcTime(row.completedAt)}` : '; not completed yet'}.</p>`;
}

/** /admin/editions/:id: how one edition went out, where it failed, and what it carried. */
export function editionPage(input: EditionPageInput): string {
  const { detail } = input;
  const body = html`<p class="muted"><a href="/admin">Overview</a> › Edition ${detail.edition.id}</p>
<h1>Edition of ${detail.edition.day} → ${detail.edition.list}</h1>
<p class="muted">${count(detail.edition.papers, 'paper')}, made ${utcTime(detail.edition.createdAt)}.</p>
${summary(detail)}
${timing(detail)}
${funnelChart(detail)}
${reasonChart(detail)}
${domainChart(detail)}
${relayTable(detail)}
<section aria-labelledby="papers"><h2 id="papers">Papers</h2>
<ol class="papers">${detail.papers.map((paper) => html`<li value="${paper.rank}"><a href="${paper.url}">${paper.title}</a> <span class="muted">▲ ${paper.upvotes} · ${paper.id}</span></li>`)}</ol>
</section>`;
  return adminPage(`Edition ${detail.edition.day}`, body, { viewer: input.viewer, section: 'overview', charts: true });
}
