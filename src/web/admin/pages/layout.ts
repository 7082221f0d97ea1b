import { type Html, html, page } from '../../html.js';

export type AdminSection = 'overview' | 'now' | 'reports' | 'readers';

/** Who is looking: every page names the account and carries its CSRF token in the sign-out form. */
export interface AdminViewer {
  account: string;
  csrfToken: string;
}

export interface AdminPageOptions {
  viewer: AdminViewer;
  /** The section the page belongs to, marked in the navigation. */
  section: AdminSection;
  /** Draws the page's charts (Plot and d3, then charts.js). */
  charts?: boolean;
  /** Page scripts of its own, served from /admin/assets/. */
  scripts?: readonly string[];
}

const sections: readonly { id: AdminSection; href: string; label: string }[] = [
  { id: 'overview', href: '/admin', label: 'Overview' },
  { id: 'now', href: '/admin/now', label: 'Now' },
  { id: 'reports', href: '/admin/reports', label: 'Reports' },
  { id: 'readers', href: '/admin/readers', label: 'Readers' },
];

/** A hidden form field with the session's CSRF token: every admin form carries one. */
export const csrfField = (viewer: AdminViewer): Html => html`<input type="hidden" name="_csrf" value="${viewer.csrfToken}">`;

/** The chart library first (Plot's bundle needs d3's), then what draws with it; all deferred, in order. */
const chartScripts = ['d3.min.js', 'plot.umd.min.js', 'charts.js'];

function head(options: AdminPageOptions): Html {
  const scripts = [...(options.charts ? chartScripts : []), ...(options.scripts ?? [])];
  return html`<link rel="stylesheet" href="/admin/assets/admin.css">
${scripts.map((name) => html`<script src="/admin/assets/${name}" defer></script>\n`)}`;
}

function header(options: AdminPageOptions): Html {
  return html`<header class="admin-bar">
<nav aria-label="Admin"><ul>${sections.map(
    (section) => html`<li><a href="${section.href}"${section.id === options.section ? html` aria-current="page"` : ''}>${section.label}</a></li>`,
  )}</ul></nav>
<form method="post" action="/admin/logout" class="sign-out">${csrfField(options.viewer)}<span class="muted">${options.viewer.account}</span> <button type="submit">Sign out</button></form>
</header>`;
}

/** An admin page: the bar with the sections and sign-out, then the body; never cached or indexed. */
export function adminPage(title: string, body: Html, options: AdminPageOptions): string {
  return page(`${title} · paperboy admin`, html`${header(options)}\n${body}`, { noindex: true, head: head(options), bodyClass: 'admin' });
}
