/**
 * Nothing under /admin without a session: every route the app has there (read from Fastify's own
 * route table, so pages added later are walked too) refuses a stranger, and every POST a session
 * without its CSRF token.
 */
import formbody from '@fastify/formbody';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSecret, secretHash } from '../../src/admin/index.js';
import { type AdminPage, adminRoutes, defaultAdminPages } from '../../src/web/admin/index.js';
import { type AdminBrowser, cheapAdminHash, type RouteEntry, routesUnder, sessionCookieName, signIn } from '../helpers/admin.js';
import { tempDir } from '../helpers/files.js';
import { expectSecurityHeaders, formBody, formHeaders, openWeb, type WebWorld, webDepsOf, worldDir } from '../helpers/web.js';

const dir = tempDir('paperboy-admin-guard-');
let web: WebWorld;
let routes: RouteEntry[];
beforeAll(async () => {
  web = await openWeb(worldDir(dir.path, 'main'), { 'admin.passwordHash': await cheapAdminHash() });
  routes = await routesUnder(web.app, '/admin');
});
afterAll(async () => {
  await web?.close();
  dir.remove();
});

/** The routes anyone may reach: signing in, with the password or a link. Each checks what it is given itself. */
const signingIn = ['GET /admin/login', 'HEAD /admin/login', 'POST /admin/login', 'GET /admin/link/:token', 'HEAD /admin/link/:token'];
const isSigningIn = (route: RouteEntry) => signingIn.includes(`${route.method} ${route.path}`);

const request = (route: RouteEntry, headers: Record<string, string> = {}, payload?: string) =>
  web.app.inject({
    method: route.method as 'GET',
    url: route.url,
    headers: { ...(payload === undefined ? {} : formHeaders), ...headers },
    ...(payload === undefined ? {} : { payload }),
  });

describe('without a session', () => {
  it('finds the admin routes in the route table', () => {
    const names = routes.map((route) => `${route.method} ${route.path}`);
    expect(names).toEqual(expect.arrayContaining([...signingIn, 'GET /admin', 'POST /admin/logout']));
  });

  it('every admin route but signing in answers 401, or a page a browser asks for a 303 to the sign-in form', async () => {
    const answers: string[] = [];
    for (const route of routes.filter((each) => !isSigningIn(each))) {
      const payload = route.method === 'GET' || route.method === 'HEAD' ? undefined : formBody({ _csrf: 'x' });
      const bare = await request(route, {}, payload);
      const browser = await request(route, { accept: 'text/html,application/xhtml+xml' }, payload);
      const forged = await request(route, { accept: 'text/html', cookie: `${sessionCookieName}=${newSecret()}` }, payload);
      for (const [how, response] of [
        ['bare', bare],
        ['browser', browser],
        ['forged cookie', forged],
      ] as const) {
        const location = String(response.headers.location ?? '');
        const ok = response.statusCode === 401 || (response.statusCode === 303 && location.startsWith('/admin/login?next='));
        if (!ok) answers.push(`${route.method} ${route.url} (${how}): ${response.statusCode} ${location}`);
        expectSecurityHeaders(response);
        expect(response.headers['cache-control']).toBe('no-store');
      }
      if (route.method === 'GET') expect(browser.headers.location).toBe(`/admin/login?next=${encodeURIComponent(route.url)}`);
      if (route.method !== 'GET' && route.method !== 'HEAD') expect(browser.statusCode).toBe(401);
      expect(forged.headers['set-cookie']).toMatch(new RegExp(`^${sessionCookieName}=; Path=/; Max-Age=0`));
    }
    expect(answers).toEqual([]);
  });

  it('an /admin address no page has answers as the pages do, so a stranger cannot tell which exist', async () => {
    for (const url of ['/admin/nothing-here', '/admin/editions', '/admin/assets/nope.js', '/admin/editions/1/x']) {
      expect((await web.app.inject({ url })).statusCode, url).toBe(401);
      expect((await web.app.inject({ method: 'DELETE', url })).statusCode, url).toBe(401);
    }
    const session = await signIn(web.app);
    expect((await web.app.inject({ url: '/admin/nothing-here', headers: { cookie: session.cookie } })).statusCode).toBe(404);
  });

  it('the sign-in routes answer the form, a refusal of a form without its token, and a refusal of a wrong link', async () => {
    expect((await web.app.inject({ url: '/admin/login' })).statusCode).toBe(200);
    expect((await web.app.inject({ method: 'POST', url: '/admin/login', headers: formHeaders, payload: formBody({ password: 'x' }) })).statusCode).toBe(403);
    expect((await web.app.inject({ url: `/admin/link/${newSecret()}` })).statusCode).toBe(401);
  });

  it('a page registered later into the admin scope is guarded without doing anything', async () => {
    const secretPage: AdminPage = (scope) => {
      scope.get('/admin/secret/:id', async () => 'secret');
      scope.post('/admin/secret/:id', async () => 'changed');
    };
    const app = Fastify();
    await app.register(formbody);
    await adminRoutes(app, { ...webDepsOf(web), adminAuth: web.adminAuth, adminQueries: web.adminQueries }, { pages: [...defaultAdminPages, secretPage] });
    try {
      const added = (await routesUnder(app, '/admin/secret')).map((route) => `${route.method} ${route.url}`);
      expect(added).toEqual(['GET /admin/secret/1', 'HEAD /admin/secret/1', 'POST /admin/secret/1']);
      for (const method of ['GET', 'HEAD', 'POST'] as const) expect((await app.inject({ method, url: '/admin/secret/1' })).statusCode).toBe(401);
      const session = await signIn(app);
      expect((await app.inject({ url: '/admin/secret/1', headers: { cookie: session.cookie } })).body).toBe('secret');
      expect((await app.inject({ method: 'POST', url: '/admin/secret/1', headers: { cookie: session.cookie } })).statusCode).toBe(403);
      const changed = await app.inject({ method: 'POST', url: '/admin/secret/1', headers: { cookie: session.cookie, 'x-csrf-token': session.csrf } });
      expect(changed.body).toBe('changed');
    } finally {
      await app.close();
    }
  });
});

describe('with a session', () => {
  let browser: AdminBrowser;
  beforeAll(async () => {
    browser = await signIn(web.app);
  });

  it('every admin page answers, with the admin security headers and never cached', async () => {
    const home = await web.app.inject({ url: '/admin', headers: { cookie: browser.cookie } });
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('<h1>Overview</h1>');
    expect(home.body).toContain('<span class="muted">admin</span> <button type="submit">Sign out</button>');
    expectSecurityHeaders(home);
    expect(home.headers['content-security-policy']).toContain("script-src 'self'; connect-src 'self'");
    expect(home.headers['cache-control']).toBe('no-store');
    expect(home.headers['x-robots-tag']).toBe('noindex, nofollow');
  });

  it('every POST without the CSRF token, or with another session’s, is refused with 403', async () => {
    const posts = routes.filter((route) => route.method === 'POST' && !isSigningIn(route));
    expect(posts.length).toBeGreaterThan(0);
    const other = await signIn(web.app);
    for (const route of posts) {
      for (const payload of [formBody({}), formBody({ _csrf: '' }), formBody({ _csrf: other.csrf }), formBody({ _csrf: `${browser.csrf}x` })]) {
        const response = await request(route, { cookie: browser.cookie }, payload);
        expect(response.statusCode, `${route.path} ${payload}`).toBe(403);
      }
      const wrongHeader = await request(route, { cookie: browser.cookie, 'x-csrf-token': other.csrf }, formBody({}));
      expect(wrongHeader.statusCode).toBe(403);
    }
    // The session is still good: nothing was done.
    expect((await web.app.inject({ url: '/admin', headers: { cookie: browser.cookie } })).statusCode).toBe(200);
  });

  it('the token in the header does as well as the one in the form', async () => {
    const session = await signIn(web.app);
    const out = await web.app.inject({ method: 'POST', url: '/admin/logout', headers: { cookie: session.cookie, 'x-csrf-token': session.csrf } });
    expect(out.statusCode).toBe(303);
  });
});

describe('sessions in the store', () => {
  it('are kept by the hash of their id, never the id itself', async () => {
    const session = await signIn(web.app);
    const secret = session.cookie.split('=')[1]!;
    const rows = web.world.db.prepare('SELECT id_hash FROM admin_sessions').pluck().all() as string[];
    expect(rows).toContain(secretHash(secret));
    expect(rows).not.toContain(secret);
  });
});
