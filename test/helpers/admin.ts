import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { csrfTokenFor, hashPassword } from '../../src/admin/index.js';
import { formBody, formHeaders } from './web.js';

export const adminPassword = 'correct horse battery staple';

/** A hash of adminPassword at the lowest scrypt cost the config takes (ln=10): tests sign in by the dozen. */
export const cheapAdminHash = (password = adminPassword): Promise<string> => hashPassword(password, { ln: 10, r: 8, p: 1 });

type Response = Awaited<ReturnType<FastifyInstance['inject']>>;

/** The Set-Cookie lines of a response. */
export function setCookieLines(response: Response): string[] {
  const header = response.headers['set-cookie'];
  return header === undefined ? [] : [header].flat();
}

/** The value a response sets for cookie `name` (undefined when it sets none; "" when it drops it). */
export function cookieSet(response: Response, name: string): string | undefined {
  const line = setCookieLines(response).find((each) => each.startsWith(`${name}=`));
  return line?.slice(name.length + 1).split(';')[0];
}

export const sessionCookieName = '__Host-paperboy_admin';
export const loginCookieName = '__Host-paperboy_admin_login';

/** The sign-in form as a browser gets it: the token of its hidden field, and the cookie holding the other half. */
export async function signInForm(app: FastifyInstance, next?: string): Promise<{ token: string; cookie: string }> {
  const response = await app.inject({ url: `/admin/login${next === undefined ? '' : `?next=${encodeURIComponent(next)}`}` });
  expect(response.statusCode).toBe(200);
  const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
  const cookie = cookieSet(response, loginCookieName);
  if (!token || !cookie) throw new Error(`no sign-in form in: ${response.body}`);
  return { token, cookie: `${loginCookieName}=${cookie}` };
}

/** Posts the sign-in form (fetched first, as a browser does) from `ip`. */
export async function postSignIn(app: FastifyInstance, fields: { account?: string; password?: string; next?: string } = {}, ip = '203.0.113.7') {
  const form = await signInForm(app);
  return app.inject({
    method: 'POST',
    url: '/admin/login',
    headers: { ...formHeaders, cookie: form.cookie },
    payload: formBody({
      _csrf: form.token,
      account: fields.account ?? 'admin',
      password: fields.password ?? adminPassword,
      ...(fields.next ? { next: fields.next } : {}),
    }),
    remoteAddress: ip,
  });
}

export interface AdminBrowser {
  /** The Cookie header of the session. */
  cookie: string;
  /** The session's CSRF token, as its pages carry it. */
  csrf: string;
}

/** Signs in with the password and returns the session's cookie and CSRF token. */
export async function signIn(app: FastifyInstance, fields: { account?: string; password?: string } = {}, ip?: string): Promise<AdminBrowser> {
  const response = await postSignIn(app, fields, ip);
  expect(response.statusCode, response.body).toBe(303);
  const secret = cookieSet(response, sessionCookieName);
  if (!secret) throw new Error('no session cookie');
  return { cookie: `${sessionCookieName}=${secret}`, csrf: csrfTokenFor(secret) };
}

export interface RouteEntry {
  method: string;
  /** The route's path as registered, e.g. /admin/editions/:id. */
  path: string;
  /** A URL that reaches it: each parameter given as 1, a wildcard as x. */
  url: string;
}

/**
 * Every route of the app whose path starts with `prefix`, read from Fastify's own route table
 * (printRoutes draws the router's radix tree: each line one node, its text appended to its
 * parent's), so a route added anywhere, by anyone, is in the list without being named here.
 */
export async function routesUnder(app: FastifyInstance, prefix: string): Promise<RouteEntry[]> {
  await app.ready();
  const stack: string[] = [];
  const routes: RouteEntry[] = [];
  for (const line of app.printRoutes({ commonPrefix: true }).split('\n')) {
    const match = /^((?:│ {3}| {4})*)(?:├── |└── )(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    const path = (stack[depth - 1] ?? '') + match[2]!;
    stack.push(path);
    if (!match[3] || !path.startsWith(prefix)) continue;
    const url = path.replace(/:\w+(\([^)]*\))?/g, '1').replace(/\*$/, 'x');
    for (const method of match[3].split(', ')) routes.push({ method, path, url });
  }
  return routes;
}
