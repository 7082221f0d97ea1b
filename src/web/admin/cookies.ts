import type { FastifyRequest } from 'fastify';

/** The session cookie: `__Host-` makes browsers take it only with Secure and Path=/ and no Domain, from this host alone. */
export const sessionCookie = '__Host-paperboy_admin';
/** The sign-in form's half of its double-submit token (csrf.ts). */
export const loginCookie = '__Host-paperboy_admin_login';

/**
 * A cookie of the request by name. By hand: the admin side reads two cookies it wrote itself,
 * of base64url and dots; a cookie library (and its parser of every other shape) would add nothing.
 */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** A Set-Cookie value: never readable by scripts, sent only over HTTPS (or to localhost) and only with requests from our own pages. */
export const cookieHeader = (name: string, value: string, maxAgeSeconds: number): string =>
  `${name}=${value}; Path=/; Max-Age=${Math.max(0, Math.round(maxAgeSeconds))}; HttpOnly; Secure; SameSite=Strict`;

/** A Set-Cookie value that makes the browser drop the cookie. */
export const droppedCookie = (name: string): string => cookieHeader(name, '', 0);
