/**
 * A tiny tagged template for the server's pages: every interpolated value is HTML-escaped
 * unless it is already `Html` (a nested fragment). Hand-written because the pages are a handful
 * of short forms; a template engine would add a layer without adding safety.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (ch) => escapes[ch]!);

function render(value: unknown): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  return new Html(strings.reduce((out, part, index) => out + part + (index < values.length ? render(values[index]) : ''), ''));
}

export interface PageOptions {
  /** Token pages: kept out of search engines and caches. */
  noindex?: boolean;
  /** More elements for the head (a page's own stylesheet and scripts). */
  head?: Html;
  /** A class on the body: a kind of page that the stylesheet lays out its own way. */
  bodyClass?: string;
}

export function page(title: string, body: Html, options: PageOptions = {}): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
${options.noindex ? html`<meta name="robots" content="noindex, nofollow">\n` : ''}<title>${title}</title>
<link rel="stylesheet" href="/static/site.css">
${options.head ?? ''}</head>
<body${options.bodyClass ? html` class="${options.bodyClass}"` : ''}>
<main>
${body}
</main>
</body>
</html>
`.value;
}
