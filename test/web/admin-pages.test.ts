import { describe, expect, it } from 'vitest';
import type { ReaderStatus } from '../../src/admin/queries.js';
import type { ChartSpec } from '../../src/web/admin/pages/index.js';
import { editionPage, nowPage, overviewPage, readerPage, reportsPage, runningFragment } from '../../src/web/admin/pages/index.js';
import { auditViews, editionView, overviewView, readerView, reportViews, runningView, viewer } from '../helpers/admin-views.js';

/** Every chart's data island on a page, by its id, parsed as the browser's charts.js parses it. */
function islands(page: string): Map<string, ChartSpec> {
  const found = new Map<string, ChartSpec>();
  for (const match of page.matchAll(/<script type="application\/json" id="([^"]+)">([^<]*)<\/script>/g)) found.set(match[1]!, JSON.parse(match[2]!));
  return found;
}

/** The text of each row of the table with this caption, cells joined by "|". */
function tableRows(page: string, caption: string): string[] {
  const table = page.split(`<caption>${caption}</caption>`)[1]?.split('</table>')[0];
  if (table === undefined) throw new Error(`no table "${caption}"`);
  const body = table.split('<tbody>')[1]!;
  return [...body.matchAll(/<tr[^>]*>(.*?)<\/tr>/gs)].map((row) =>
    [...row[1]!.matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((cell) => cell[1]!.replace(/<[^>]+>/g, '')).join('|'),
  );
}

const postForms = (page: string) => [...page.matchAll(/<form method="post"[^>]*>(.*?)<\/form>/gs)].map((match) => match[0]);

describe('the overview page', () => {
  const page = overviewPage({ overview: overviewView(), audit: auditViews(), viewer });

  it('draws readers by status from one point per day and status, and lists the same numbers in a table', () => {
    const spec = islands(page).get('readers-by-status-data')!;
    expect(spec.kind).toBe('lines');
    if (spec.kind !== 'lines') return;
    expect(spec.points).toHaveLength(14 * 5);
    expect(spec.points.find((point) => point.day === '2026-08-21' && point.series === 'active')?.value).toBe(1156);
    const rows = tableRows(page, 'Readers in each status at the end of the day');
    expect(rows).toHaveLength(14);
    expect(rows.at(-1)).toBe('2026-08-21|1,156|21|53|8|2');
  });

  it('draws new and lost readers per day', () => {
    const spec = islands(page).get('readers-joined-lost-data')!;
    expect(spec.kind === 'flows' && spec.days).toHaveLength(14);
    expect(tableRows(page, 'Readers joined and lost per day')[1]).toBe('2026-08-09|13|1');
  });

  it('lists the last editions with their counts and rates, each linking to its page', () => {
    expect(tableRows(page, 'The last editions, newest first')).toEqual([
      '2026-08-21|default|1,140|6|2|2|0|3|3|0.26%|0.26%',
      '2026-08-20|default|1,135|3|0|0|0|2|0|0.18%|0%',
      '2026-08-19|default|1,126|0|0|0|1|0|1|0%|0.09%',
    ]);
    expect(page).toContain('<tr data-edition="3"><td><a href="/admin/editions/3">2026-08-21</a>');
  });

  it('weighs the complaint rate against 0.1% and 0.3%, and charts it per edition, oldest first, with both rules', () => {
    expect(page).toMatch(/class="verdict verdict-warning">Complaint rate, last 30 days: <strong>0.12%<\/strong> \(4 of 3,401 sent\), over 0.1%/);
    const spec = islands(page).get('complaint-rates-data')!;
    expect(spec.kind === 'rates' && spec.rules).toEqual([0.001, 0.003]);
    expect(spec.kind === 'rates' && spec.bars.map((bar) => bar.label)).toEqual(['2026-08-19', '2026-08-20', '2026-08-21']);
    const calm = overviewPage({ overview: { ...overviewView(), complaintRate: { last30Days: 0, complaints: 0, sent: 10 } }, audit: [], viewer });
    expect(calm).toContain('verdict-ok');
    const over = overviewPage({ overview: { ...overviewView(), complaintRate: { last30Days: 0.004, complaints: 4, sent: 1000 } }, audit: [], viewer });
    expect(over).toMatch(/verdict-limit">.*at or over 0.3%/);
  });

  it('shows the latest admin actions', () => {
    expect(tableRows(page, 'The last admin actions, newest first')).toEqual([
      '2026-08-21 09:10:00 UTC|admin|127.0.0.1|report-applied|report 5|{&quot;outcome&quot;:&quot;bounced&quot;}',
      '2026-08-21 09:00:00 UTC|admin|127.0.0.1|sign-in||',
    ]);
  });

  it('loads the chart library and its drawing script from /admin/assets, and no inline script', () => {
    expect(page).toContain('<link rel="stylesheet" href="/admin/assets/admin.css">');
    const scripts = [...page.matchAll(/<script([^>]*)>/g)].map((match) => match[1]);
    expect(scripts.filter((attributes) => !attributes!.includes('type="application/json"'))).toEqual([
      ' src="/admin/assets/d3.min.js" defer',
      ' src="/admin/assets/plot.umd.min.js" defer',
      ' src="/admin/assets/charts.js" defer',
    ]);
  });

  it('says so when there is nothing yet', () => {
    const empty = overviewPage({
      overview: { days: [], flows: [], now: overviewView().now, editions: [], complaintRate: { last30Days: 0, complaints: 0, sent: 0 } },
      audit: [],
      viewer,
    });
    expect(empty).toContain('No edition has been made yet.');
    expect(empty).toContain('No admin action is recorded yet.');
    expect(islands(empty).has('complaint-rates-data')).toBe(false);
  });
});

describe('an edition page', () => {
  it('charts the funnel, failures by reason and by domain, and says how long the send took', () => {
    const page = editionPage({ detail: editionView(), viewer });
    const charts = islands(page);
    expect([...charts.keys()]).toEqual(['funnel-data', 'failure-reasons-data', 'failure-domains-data']);
    expect(tableRows(page, 'Delivery funnel')).toEqual(['for|1,150|100%', 'sent|1,140|99.1%', 'not bounced|1,137|98.9%', 'not complained|1,134|98.6%']);
    expect(page).toContain('<strong>4 min 7 s</strong> from first to last');
    expect(page).toContain('<dd data-count="sent">1,140</dd>');
    expect(page).toContain(
      '<li value="2"><a href="https://huggingface.co/papers/2608.00002">Scaling &lt;laws&gt; &amp; friends</a> <span class="muted">▲ 87 · 2608.00002</span></li>',
    );
  });

  it('keeps a reason that looks like markup inside its data island and escaped in its table', () => {
    const page = editionPage({ detail: editionView(), viewer });
    expect(page).not.toContain('</script><script>alert(1)');
    const spec = islands(page).get('failure-reasons-data')!;
    expect(spec.kind === 'bars' && spec.bars[1]!.label).toBe('relay refused: </script><script>alert(1)</script>');
    expect(tableRows(page, 'Failures by reason')[1]).toBe('waiting|deferred|relay refused: &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;|2');
    expect(spec.kind === 'bars' && spec.series).toEqual(['failed', 'waiting']);
  });

  it('charts the ten domains with the most failures and tables them all; relays appear once there are some', () => {
    const many = editionPage({ detail: { ...editionView(14), byRelay: [{ relay: 'primary', sent: 1000, failed: 2 }] }, viewer });
    const spec = islands(many).get('failure-domains-data')!;
    expect(spec.kind === 'bars' && new Set(spec.bars.map((bar) => bar.label)).size).toBe(10);
    expect(spec.kind === 'bars' && spec.bars).toHaveLength(30); // failed, bounced, complained for each
    expect(tableRows(many, 'Failures by recipient domain')).toHaveLength(14);
    expect(tableRows(many, 'Messages per relay')).toEqual(['primary|1,000|2']);
    expect(editionPage({ detail: editionView(), viewer })).not.toContain('Messages per relay');
  });

  it('says when nothing failed or went out yet', () => {
    const { firstSentAt: _first, lastSentAt: _last, ...rest } = editionView();
    const quiet = editionPage({ detail: { ...rest, failuresByReason: [], failuresByDomain: [] }, viewer });
    expect(quiet).toContain('No message of this edition failed.');
    expect(quiet).toContain('No message of this edition has gone out yet.');
    expect([...islands(quiet).keys()]).toEqual(['funnel-data']);
  });
});

describe('the Now page', () => {
  it('shows each running send with a progress bar and one row per sender, inside the box the event stream replaces', () => {
    const page = nowPage({ running: runningView(), at: new Date('2026-08-22T06:01:00Z'), viewer });
    expect(page).toContain('<div id="running" data-events="/admin/now/events">');
    expect(page).toContain('<progress max="1200" value="705" aria-label="Edition of 2026-08-22: 58.8% done"></progress>');
    expect(tableRows(page, 'Senders of the edition of 2026-08-22')).toEqual([
      'host-a:4121|2026-08-22 06:00:00 UTC|2026-08-22 06:02:00 UTC|450|400|88.9%',
      'host-b:977|2026-08-22 06:00:01 UTC|2026-08-22 06:02:01 UTC|350|300|85.7%',
    ]);
    expect(page).toContain('as of 2026-08-22 06:01:00 UTC');
    expect(page).toContain('<script src="/admin/assets/now.js" defer></script>');
    expect(page).toContain(runningFragment(runningView()).value);
  });

  it('says when no send is running', () => {
    expect(runningFragment([]).value).toContain('No send is running.');
  });
});

describe('the Reports page', () => {
  it('offers apply and dismiss for the reports kept back, and lists the latest of every kind', () => {
    const events = reportViews();
    const page = reportsPage({
      waiting: events.filter((event) => event.action === 'unverified'),
      recent: events,
      viewer,
      notice: 'Report 5 applied: bounced.',
    });
    expect(page).toContain('<p class="notice" role="status">Report 5 applied: bounced.</p>');
    const forms = postForms(page).filter((form) => form.includes('/admin/reports/'));
    expect(forms.map((form) => form.match(/action="([^"]+)"/)![1])).toEqual(['/admin/reports/apply', '/admin/reports/dismiss']);
    for (const form of forms) expect(form).toContain('<input type="hidden" name="id" value="7">');
    expect(tableRows(page, 'Reports waiting for review')[0]).toMatch(
      /^7\|2026-08-21 08:59:00 UTC\|complaint\|grace@example.org\|unverified\|address only\|ingest\|\|Apply/,
    );
    expect(tableRows(page, 'The latest reports, newest first')[1]).toBe(
      '6|2026-08-21 07:00:00 UTC|hard bounce 5.1.1|ada@example.net|bounced|VERP token|imap|user unknown',
    );
    expect(page).toContain('<a href="/admin/readers?email=grace%40example.org">grace@example.org</a>');
  });

  it('says when nothing waits', () => {
    expect(reportsPage({ waiting: [], recent: [], viewer })).toContain('Nothing is waiting for review.');
  });
});

describe('the Readers page', () => {
  it('looks a reader up and shows their history (newest first), editions and reports', () => {
    const page = readerPage({ email: 'grace@example.org', detail: readerView('complained'), viewer });
    expect(page).toContain('value="grace@example.org" required');
    expect(page).toContain('<dd data-fact="status">complained</dd>');
    expect(tableRows(page, 'Status changes, newest first')).toEqual([
      '2026-08-21 09:00:00 UTC|active|complained|complained',
      '2026-08-02 10:00:05 UTC|pending|active|confirmed',
      '2026-08-02 10:00:00 UTC|—|pending|added (web)',
    ]);
    expect(tableRows(page, 'Editions made for this reader, newest first')[0]).toBe('2026-08-21|default|sent|2026-08-21 06:01:00 UTC');
    expect(tableRows(page, 'Bounces and complaints about this reader, newest first')).toEqual([
      '7|2026-08-21 08:59:00 UTC|complaint|grace@example.org|unverified|address only|ingest|',
    ]);
  });

  it('offers to resubscribe a reader who stopped, and to unsubscribe an active one, each with a required reason', () => {
    const changeForms = (status: ReaderStatus) =>
      postForms(readerPage({ email: 'grace@example.org', detail: readerView(status), viewer })).filter((form) => form.includes('/admin/readers/'));
    for (const status of ['unsubscribed', 'bounced', 'complained'] as const) {
      const forms = changeForms(status);
      expect(forms).toHaveLength(1);
      expect(forms[0]).toContain('action="/admin/readers/resubscribe"');
      expect(forms[0]).toContain('name="reason" type="text" required');
      expect(forms[0]).toContain('<input type="hidden" name="email" value="grace@example.org">');
    }
    for (const status of ['active', 'pending'] as const) expect(changeForms(status)[0]).toContain('action="/admin/readers/unsubscribe"');
  });

  it('says when nobody has the address, and shows only the form before a lookup', () => {
    expect(readerPage({ email: 'nobody@example.org', viewer })).toContain('Nobody by the address nobody@example.org is on the list.');
    expect(readerPage({ viewer })).not.toContain('Nobody by the address');
  });
});

describe('every admin page', () => {
  const pages = {
    overview: overviewPage({ overview: overviewView(), audit: auditViews(), viewer }),
    edition: editionPage({ detail: editionView(), viewer }),
    now: nowPage({ running: runningView(), at: new Date(), viewer }),
    reports: reportsPage({ waiting: reportViews().slice(0, 1), recent: reportViews(), viewer }),
    reader: readerPage({ email: 'grace@example.org', detail: readerView(), viewer }),
  };

  it('carries the session CSRF token in every form that posts, the sign-out form included', () => {
    for (const [name, page] of Object.entries(pages)) {
      const forms = postForms(page);
      expect(
        forms.some((form) => form.includes('action="/admin/logout"')),
        name,
      ).toBe(true);
      for (const form of forms) expect(form, name).toContain('<input type="hidden" name="_csrf" value="csrf-token-for-tests">');
    }
  });

  it('is kept out of search engines and marks its section in the navigation', () => {
    expect(pages.reports).toContain('<meta name="robots" content="noindex, nofollow">');
    expect(pages.reports).toContain('<a href="/admin/reports" aria-current="page">Reports</a>');
    expect(pages.overview).toContain('<body class="admin">');
  });
});
