/**
 * Signing in to /admin: the password form and its limits, one-time links, session expiry,
 * signing out, the cookies, and the audit trail. A real SQLite store, the app through inject(),
 * and a clock the test moves.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { newSecret, secretHash } from '../../src/admin/index.js';
import {
  adminPassword,
  cheapAdminHash,
  cookieSet,
  loginCookieName,
  postSignIn,
  sessionCookieName,
  setCookieLines,
  signIn,
  signInForm,
} from '../helpers/admin.js';
import { tempDir } from '../helpers/files.js';
import { formBody, formHeaders, openWeb, type WebWorld, worldDir } from '../helpers/web.js';

const dir = tempDir('paperboy-admin-sign-in-');
const worlds: WebWorld[] = [];
afterAll(async () => {
  for (const web of worlds) await web.close();
  dir.remove();
});

const start = Date.parse('2026-08-21T08:00:00Z');
/** A web world with /admin on (the cheap test hash), and a clock the test moves by minutes. */
async function adminWorld(flags: Record<string, unknown> = {}) {
  let now = new Date(start);
  const web = await openWeb(worldDir(dir.path, `w${worlds.length + 1}`), { 'admin.passwordHash': await cheapAdminHash(), ...flags });
  worlds.push(web);
  const build = () => web.build({ now: () => now });
  const app = await build();
  return {
    web,
    app,
    /** Another app on the same store and clock: a second serve process. */
    build,
    at: (minutes: number) => {
      now = new Date(start + minutes * 60_000);
    },
    home: (cookie: string) => app.inject({ url: '/admin', headers: { cookie, accept: 'text/html' } }),
  };
}

describe('the password form', () => {
  it('signs in with the account and password, and goes back to the page that asked', async () => {
    const { app, home } = await adminWorld();
    const response = await postSignIn(app, { next: '/admin/editions/3?tab=relays' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/admin/editions/3?tab=relays');
    const cookie = `${sessionCookieName}=${cookieSet(response, sessionCookieName)}`;
    expect(cookieSet(response, loginCookieName)).toBe(''); // the form's token is spent
    expect((await home(cookie)).statusCode).toBe(200);
  });

  it('never sends anyone off the admin pages after signing in', async () => {
    const { app } = await adminWorld();
    for (const next of [
      '//evil.example/admin',
      'https://evil.example/admin',
      '/\\evil.example',
      '/administrator',
      '/admin/login',
      '/admin/link/x',
      '/',
      'javascript:alert(1)',
    ])
      expect((await postSignIn(app, { next })).headers.location, next).toBe('/admin');
  });

  it('refuses a sign-in post without the form’s token, or with a token of another form, with 403 and a fresh form', async () => {
    const { app } = await adminWorld();
    const one = await signInForm(app);
    const other = await signInForm(app);
    const post = (cookie: string | undefined, token: string) =>
      app.inject({
        method: 'POST',
        url: '/admin/login',
        headers: { ...formHeaders, ...(cookie ? { cookie } : {}) },
        payload: formBody({ _csrf: token, account: 'admin', password: adminPassword }),
      });
    for (const response of [await post(undefined, one.token), await post(one.cookie, other.token), await post(one.cookie, '')]) {
      expect(response.statusCode).toBe(403);
      expect(cookieSet(response, sessionCookieName)).toBeUndefined();
      expect(response.body).toContain('here is a fresh one');
      expect(cookieSet(response, loginCookieName)).toBeTruthy();
    }
    expect((await post(one.cookie, one.token)).statusCode).toBe(303);
  });

  it('refuses a form left open past its hour', async () => {
    const { app, at } = await adminWorld();
    const form = await signInForm(app);
    at(61);
    const late = await app.inject({
      method: 'POST',
      url: '/admin/login',
      headers: { ...formHeaders, cookie: form.cookie },
      payload: formBody({ _csrf: form.token, account: 'admin', password: adminPassword }),
    });
    expect(late.statusCode).toBe(403);
  });

  it('says a wrong password or account with 401 and the form again', async () => {
    const { app } = await adminWorld();
    for (const fields of [{ password: 'wrong password!' }, { account: 'root' }, { password: '' }]) {
      const response = await postSignIn(app, fields);
      expect(response.statusCode).toBe(401);
      expect(response.body).toContain('Wrong account or password.');
      expect(response.body).toContain('name="password"');
      expect(cookieSet(response, sessionCookieName)).toBeUndefined();
    }
  });
});

describe('the limit on sign-in attempts', () => {
  it('the 5th wrong password in a minute from one address is a 401 form, the 6th a 429 unchecked, the next minute counts anew', async () => {
    const { app, at } = await adminWorld();
    const ip = '198.51.100.1';
    at(0);
    // Each names another account: only the address's count reaches the limit.
    for (let attempt = 1; attempt <= 5; attempt++) expect((await postSignIn(app, { account: `nobody${attempt}` }, ip)).statusCode).toBe(401);
    at(0.5);
    const sixth = await postSignIn(app, { account: 'nobody6' }, ip);
    expect(sixth.statusCode).toBe(429);
    expect(sixth.body).toContain('wait a minute');
    // Unchecked: the right password is refused as well, from that address, and nothing else is.
    expect((await postSignIn(app, {}, ip)).statusCode).toBe(429);
    expect((await postSignIn(app, {}, '198.51.100.2')).statusCode).toBe(303);
    at(1.01);
    expect((await postSignIn(app, {}, ip)).statusCode).toBe(303);
  });

  it('per account too: the 6th wrong password for an account in a minute is refused, whatever the address', async () => {
    const { app } = await adminWorld();
    for (let attempt = 1; attempt <= 5; attempt++) expect((await postSignIn(app, { password: 'wrong password!' }, `192.0.2.${attempt}`)).statusCode).toBe(401);
    expect((await postSignIn(app, { password: 'wrong password!' }, '192.0.2.6')).statusCode).toBe(429);
    expect((await postSignIn(app, {}, '192.0.2.7')).statusCode).toBe(429);
  });

  it('a success does not wipe what an address failed for other accounts', async () => {
    const { app } = await adminWorld();
    const ip = '198.51.100.9';
    for (const account of ['root', 'eve', 'mallory', 'trent']) expect((await postSignIn(app, { account }, ip)).statusCode).toBe(401);
    expect((await postSignIn(app, {}, ip)).statusCode).toBe(303);
    expect((await postSignIn(app, { account: 'oscar' }, ip)).statusCode).toBe(401); // the 5th failure
    expect((await postSignIn(app, { account: 'peggy' }, ip)).statusCode).toBe(429);
  });

  it('is kept in the store: another serve process on it honours it', async () => {
    const { app, build } = await adminWorld();
    const other = await build();
    for (let attempt = 1; attempt <= 5; attempt++) expect((await postSignIn(attempt % 2 ? app : other, { password: 'wrong password!' })).statusCode).toBe(401);
    expect((await postSignIn(other, {})).statusCode).toBe(429);
  });

  it('follows admin.loginAttemptsPerMinute', async () => {
    const { app } = await adminWorld({ 'admin.loginAttemptsPerMinute': 2 });
    for (let attempt = 1; attempt <= 2; attempt++) expect((await postSignIn(app, { password: 'wrong password!' })).statusCode).toBe(401);
    expect((await postSignIn(app, {})).statusCode).toBe(429);
  });
});

describe('sessions', () => {
  it('end after admin.idleMinutes without a request, and not while they are used', async () => {
    const { app, at, home } = await adminWorld();
    const session = await signIn(app);
    for (const minutes of [29, 58, 87]) {
      at(minutes);
      expect((await home(session.cookie)).statusCode, `at ${minutes} minutes`).toBe(200);
    }
    at(87 + 30);
    const idle = await home(session.cookie);
    expect(idle.statusCode).toBe(303);
    expect(idle.headers.location).toBe('/admin/login?next=%2Fadmin');
    at(87 + 31); // gone for good, not just late
    expect((await home(session.cookie)).statusCode).toBe(303);
  });

  it('end admin.sessionHours after sign-in however busy', async () => {
    const { app, at, home } = await adminWorld({ 'admin.sessionHours': 1, 'admin.idleMinutes': 30 });
    const session = await signIn(app);
    for (const minutes of [20, 40, 59]) {
      at(minutes);
      expect((await home(session.cookie)).statusCode).toBe(200);
    }
    at(60);
    expect((await home(session.cookie)).statusCode).toBe(303);
  });

  it('signing out ends the session in the store: the same cookie no longer works', async () => {
    const { web, app, home } = await adminWorld();
    const session = await signIn(app);
    const other = await signIn(app);
    const out = await app.inject({
      method: 'POST',
      url: '/admin/logout',
      headers: { ...formHeaders, cookie: session.cookie },
      payload: formBody({ _csrf: session.csrf }),
    });
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/admin/login');
    expect(setCookieLines(out)).toEqual([`${sessionCookieName}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict`]);
    expect((await home(session.cookie)).statusCode).toBe(303);
    expect((await home(other.cookie)).statusCode).toBe(200); // only that one
    const sessions = web.world.db.prepare('SELECT count(*) FROM admin_sessions').pluck().get();
    expect(sessions).toBe(1);
  });

  it('cookies are HttpOnly, Secure, SameSite=Strict, for the whole host and no domain', async () => {
    const { app } = await adminWorld({ 'admin.sessionHours': 12 });
    const form = await app.inject({ url: '/admin/login' });
    const signedIn = await postSignIn(app);
    const lines = [...setCookieLines(form), ...setCookieLines(signedIn)];
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line).toMatch(/^__Host-paperboy_admin(_login)?=[^;]*; Path=\/; Max-Age=\d+; HttpOnly; Secure; SameSite=Strict$/);
      expect(line.toLowerCase()).not.toContain('domain=');
    }
    expect(setCookieLines(signedIn).find((line) => line.startsWith(`${sessionCookieName}=`))).toContain('Max-Age=43200;');
  });
});

describe('one-time sign-in links', () => {
  it('work once: the first visit signs in and goes to /admin, every later one is refused', async () => {
    const { web, app, home, at } = await adminWorld();
    const token = newSecret();
    await web.adminAuth.addLink(secretHash(token), new Date(start), new Date(start + 15 * 60_000));
    at(14);
    const first = await app.inject({ url: `/admin/link/${token}` });
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/admin');
    const cookie = `${sessionCookieName}=${cookieSet(first, sessionCookieName)}`;
    expect((await home(cookie)).statusCode).toBe(200);
    const again = await app.inject({ url: `/admin/link/${token}` });
    expect(again.statusCode).toBe(401);
    expect(again.body).toContain('paperboy admin link');
    expect(cookieSet(again, sessionCookieName)).toBeUndefined();
  });

  it('expire, and a wrong token signs nobody in', async () => {
    const { web, app, at } = await adminWorld();
    const token = newSecret();
    await web.adminAuth.addLink(secretHash(token), new Date(start), new Date(start + 15 * 60_000));
    at(15);
    expect((await app.inject({ url: `/admin/link/${token}` })).statusCode).toBe(401);
    for (const wrong of [newSecret(), 'short', `${token}x`]) expect((await app.inject({ url: `/admin/link/${wrong}` })).statusCode).toBe(401);
  });

  it('wrong ones count against the address like wrong passwords', async () => {
    const { web, app } = await adminWorld();
    const token = newSecret();
    await web.adminAuth.addLink(secretHash(token), new Date(start), new Date(start + 15 * 60_000));
    for (let attempt = 1; attempt <= 5; attempt++)
      expect((await app.inject({ url: `/admin/link/${newSecret()}`, remoteAddress: '203.0.113.50' })).statusCode).toBe(401);
    expect((await app.inject({ url: `/admin/link/${token}`, remoteAddress: '203.0.113.50' })).statusCode).toBe(429);
    expect((await app.inject({ url: `/admin/link/${token}`, remoteAddress: '203.0.113.51' })).statusCode).toBe(303);
  });

  it('are the only way in when no password is configured', async () => {
    const { web, app } = await adminWorld({ 'admin.passwordHash': undefined, 'admin.account': 'ops' });
    expect(web.world.config.admin).toMatchObject({ account: 'ops' });
    expect(web.world.config.admin?.passwordHash).toBeUndefined();
    const form = await app.inject({ url: '/admin/login' });
    expect(form.body).toContain('Password sign-in is off');
    expect(form.body).not.toContain('name="password"');
    const token = newSecret();
    await web.adminAuth.addLink(secretHash(token), new Date(start), new Date(start + 15 * 60_000));
    expect((await app.inject({ url: `/admin/link/${token}` })).statusCode).toBe(303);
  });
});

describe('the audit trail', () => {
  it('records sign-in, failed sign-in and sign-out, with who, when and from where', async () => {
    const { web, app, at } = await adminWorld();
    expect((await postSignIn(app, { account: 'root' }, '198.51.100.20')).statusCode).toBe(401);
    at(1);
    const session = await signIn(app, {}, '198.51.100.21');
    at(2);
    await app.inject({
      method: 'POST',
      url: '/admin/logout',
      headers: { ...formHeaders, cookie: session.cookie },
      payload: formBody({ _csrf: session.csrf }),
      remoteAddress: '198.51.100.22',
    });
    const trail = await web.adminAuth.auditTrail(10);
    expect(trail.map(({ action, account, ip, at: when }) => ({ action, account, ip, at: when }))).toEqual([
      { action: 'sign-out', account: 'admin', ip: '198.51.100.22', at: '2026-08-21T08:02:00.000Z' },
      { action: 'sign-in', account: 'admin', ip: '198.51.100.21', at: '2026-08-21T08:01:00.000Z' },
      { action: 'sign-in-failed', account: 'root', ip: '198.51.100.20', at: '2026-08-21T08:00:00.000Z' },
    ]);
  });
});

describe('with admin off', () => {
  it('every /admin URL is a 404, like any unknown one', async () => {
    const web = await openWeb(worldDir(dir.path, 'off'));
    worlds.push(web);
    expect(web.world.config.admin).toBeUndefined();
    for (const url of ['/admin', '/admin/login', `/admin/link/${newSecret()}`]) expect((await web.app.inject({ url })).statusCode).toBe(404);
    expect((await web.app.inject({ method: 'POST', url: '/admin/login', headers: formHeaders, payload: 'password=x' })).statusCode).toBe(404);
  });
});
