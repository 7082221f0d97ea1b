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
