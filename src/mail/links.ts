import type { RecipientLinks } from '../render/index.js';

/** The links every digest carries, on the public base URL of `paperboy serve`. */
export function recipientLinks(baseUrl: string, day: string, tokens: { unsubscribe: string; preferences: string }): RecipientLinks {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    unsubscribe: `${base}/unsubscribe?token=${encodeURIComponent(tokens.unsubscribe)}`,
    preferences: `${base}/preferences?token=${encodeURIComponent(tokens.preferences)}`,
    webVersion: `${base}/archive/${day}`,
  };
}

/** The search page with these saved searches over one edition's day (or week): every match, not only those a mail shows. */
export function searchLink(baseUrl: string, queries: readonly string[], day: string): string {
  const query = new URLSearchParams([...queries.map((q): [string, string] => ['q', q]), ['day', day]]);
  return `${baseUrl.replace(/\/+$/, '')}/search?${query}`;
}
