import type { RunningSend } from '../../../admin/queries.js';
import { type Html, html } from '../../html.js';
import { number, share, utcTime } from './format.js';
import { type AdminViewer, adminPage } from './layout.js';
import { dataTable } from './table.js';

export interface NowPageInput {
  running: readonly RunningSend[];
  /** When the numbers were read. */
  at: Date;
  viewer: AdminViewer;
}

function sendSection(send: RunningSend): Html {
  const done = send.sent + send.failed + send.skipped;
  return html`<section aria-labelledby="send-${send.editionId}" data-edition="${send.editionId}">
<h2 id="send-${send.editionId}"><a href="/admin/editions/${send.editionId}">Edition of ${send.day} → ${send.list}</a></h2>
<p><progress max="${send.total}" value="${done}" aria-label="Edition of ${send.day}: ${share(done, send.total)} done"></progress>
<span data-count="done">${number(done)}</span> of ${number(send.total)} done (${share(done, send.total)}): ${number(send.sent)} sent, ${number(send.failed)} failed, ${number(send.skipped)} skipped, ${number(send.retry)} waiting to retry, ${number(send.pending)} not yet sent.</p>
${dataTable({
  caption: `Senders of the edition of ${send.day}`,
  head: ['Sender', 'Started', 'Lease until', 'Claimed', 'Sent', 'Of its claim'],
  rows: send.senders.map((sender) => [
    sender.run,
    utcTime(sender.startedAt),
    utcTime(sender.leaseUntil),
    sender.claimed,
    sender.sent,
    share(sender.sent, sender.claimed),
  ]),
  rowAttributes: (index) => html`data-run="${send.senders[index]!.run}"`,
  empty: 'No sender holds a lease on it right now.',
})}
</section>`;
}

/**
 * The running sends as one fragment: the page shows it, and /admin/now/events sends it again
 * whenever it changes, so a reload and the live page always agree.
 */
export function runningFragment(running: readonly RunningSend[]): Html {
  if (running.length === 0) return html`<p class="muted">No send is running. The last editions are on the <a href="/admin">overview</a>.</p>`;
  return html`${running.map(sendSection)}`;
}

/** /admin/now: each running send and its senders, kept current by server-sent events (now.js). */
export function nowPage(input: NowPageInput): string {
  const body = html`<h1>Now</h1>
<p class="muted" id="live-state">These are the numbers as of ${utcTime(input.at.toISOString())}; reload for newer ones.</p>
<div id="running" data-events="/admin/now/events">
${runningFragment(input.running)}
</div>`;
  return adminPage('Now', body, { viewer: input.viewer, section: 'now', scripts: ['now.js'] });
}
