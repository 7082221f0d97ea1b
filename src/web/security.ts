import type { FastifyReply, FastifyRequest } from 'fastify';
import { html, page } from './html.js';

/** How strict a response's Content-Security-Policy is. */
export type PagePolicy = 'page' | 'email' | 'preview' | 'frame' | 'admin';

const policies: Record<PagePolicy, string> = {
  // The server's own pages: its stylesheet and forms, nothing else.
  page: "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  // An archived email: its own inline styles (email HTML has no other kind), images from anywhere, no script.
  email: "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src https: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  // The dev preview: our script for live reload, our frames.
  preview:
    "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  // The admin dashboard (/admin): our own scripts (the charts) and their live updates (server-sent events) too.
  admin:
    "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  // The digest inside the dev preview's frames.
  frame: "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'",
};

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: PagePolicy;
    /** Pages reached through a signed link: never indexed, never cached. */
    tokenPage?: boolean;
  }
}

export function headersFor(policy: PagePolicy, tokenPage: boolean): Record<string, string> {
  return {
    'content-security-policy': policies[policy],
    'x-content-type-options': 'nosniff',
    'x-frame-options': policy === 'frame' ? 'SAMEORIGIN' : 'DENY',
    'referrer-policy': 'no-referrer', // links carry tokens: never leak them to another site
    'cross-origin-opener-policy': 'same-origin',
    ...(tokenPage ? { 'x-robots-tag': 'noindex, nofollow', 'cache-control': 'no-store' } : {}),
  };
}

// Built once per kind of page, not per request.
const headerSets = new Map<string, Record<string, string>>();
for (const policy of Object.keys(policies) as PagePolicy[]) {
  for (const tokenPage of [false, true]) headerSets.set(`${policy}:${tokenPage}`, headersFor(policy, tokenPage));
}

/** Security headers on every response (hand-set: six headers do not need a plugin). */
export function securityHeaders(request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void): void {
  const config = request.routeOptions.config ?? {};
  reply.headers(headerSets.get(`${config.policy ?? 'page'}:${config.tokenPage === true}`)!);
  done(null, payload);
}

/** The URL as logged: the path only, so tokens in query strings never reach a log; nor does a sign-in link's, in its path. */
export const loggedUrl = (url: string): string => (url.split('?')[0] ?? url).replace(/^\/admin\/link\/.+/, '/admin/link/…');

const errorMessages: Record<number, string> = {
  404: 'There is nothing here.',
  413: 'That was too much data.',
  414: 'That address is too long.',
  415: 'That kind of request is not accepted here; use the form.',
  431: 'The request headers were too large.',
};

/** The page for an error: generic words for its status, never anything from the request. */
export function errorPage(status: number, message?: string): string {
  const text =
    message ?? errorMessages[status] ?? (status < 500 ? 'That request could not be understood.' : 'Something went wrong on our side; try again later.');
  return page('Error', html`<h1>${status === 429 ? 'Slow down' : 'Sorry'}</h1><p>${text}</p><p><a href="/">Back</a></p>`);
}

/** A complete HTTP response for a request the HTTP parser refused, with the same headers as every page. */
export function clientErrorResponse(status: 400 | 431): string {
  const body = errorPage(status);
  const headers = {
    ...headersFor('page', false),
    'content-type': 'text/html; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  };
  return `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n${Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\r\n')}\r\n\r\n${body}`;
}
