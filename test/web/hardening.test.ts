import { connect } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { PaperboyError } from '../../src/errors.js';
import { buildApp } from '../../src/web/index.js';
import { addPeople, recordingTransport } from '../helpers/delivery.js';
import { tempDir } from '../helpers/files.js';
import { expectSecurityHeaders, formBody, formHeaders, openWeb, postForm, type WebWorld, webDepsOf, worldDir } from '../helpers/web.js';

const dir = tempDir('paperboy-web-hardening-');
const worlds: WebWorld[] = [];
afterAll(async () => {
  for (const web of worlds) await web.close();
  dir.remove();
});
let count = 0;
async function world(flags: Record<string, unknown> = {}, noRateLimit = true): Promise<WebWorld> {
  const web = await openWeb(worldDir(dir.path, `w${++count}`), flags, { noRateLimit });
  worlds.push(web);
  return web;
}
const mailsTo = (web: WebWorld, address: string) => web.sent.filter((message) => message.envelope.to.toLowerCase() === address.toLowerCase());

describe('one person is one address', () => {
  it('an upper-case variant of a bounced or complained address gets no confirmation mail and no record', async () => {
    const web = await world();
    await addPeople(web.world, [{ email: 'bounced@x.org', status: 'bounced' }, { email: 'complained@x.org', status: 'complained' }, { email: 'carol@x.org' }]);
    for (const email of ['BOUNCED@x.org', 'Complained@X.org', 'CAROL@x.org', 'Carol@x.org'])
      expect((await postForm(web.app, '/subscribe', { email })).statusCode).toBe(200);
    expect(web.sent).toHaveLength(0);
    expect(await web.world.subscribers.count({})).toBe(3);
    expect((await web.find('carol@x.org'))!.status).toBe('active');
  });
});

describe('nobody can be mail-bombed through us', () => {
  it('10 posts for one address from 10 different client addresses produce one confirmation mail', async () => {
    const web = await world({}, false);
    for (let i = 1; i <= 10; i++) expect((await postForm(web.app, '/subscribe', { email: 'victim@example.org' }, `198.51.100.${i}`)).statusCode).toBe(200);
    expect(mailsTo(web, 'victim@example.org')).toHaveLength(1);
  });

  it('the per-address limit lives in the store: another server process on it honours it, and it allows a few a day', async () => {
    let now = new Date('2026-08-21T08:00:00Z');
    const web = await world({ 'web.confirmationIntervalMinutes': 10, 'web.confirmationsPerDay': 3 });
    const clock = { now: () => now };
    const first = await web.build({ noRateLimit: true, ...clock });
    const second = await web.build({ noRateLimit: true, ...clock }); // a restart, or a second `serve`
    await postForm(first, '/subscribe', { email: 'pat@example.org' });
    await postForm(second, '/subscribe', { email: 'PAT@example.org' });
    expect(mailsTo(web, 'pat@example.org')).toHaveLength(1);
    for (const minutes of [11, 22, 33, 44]) {
      now = new Date(Date.parse('2026-08-21T08:00:00Z') + minutes * 60_000);
      await postForm(minutes % 2 ? first : second, '/subscribe', { email: 'pat@example.org' });
    }
    expect(mailsTo(web, 'pat@example.org')).toHaveLength(3); // three a day at most
    now = new Date('2026-08-22T09:00:00Z');
    await postForm(first, '/subscribe', { email: 'pat@example.org' });
    expect(mailsTo(web, 'pat@example.org')).toHaveLength(4);
  });

  it('answers before doing the work, so the time taken says nothing about the address', async () => {
    const web = await world();
    await addPeople(web.world, [{ email: 'active@example.org' }]);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const { transport, sent } = recordingTransport(() => held);
    const app = await buildApp({ ...webDepsOf(web, transport), noRateLimit: true });
    try {
      const inject = (email: string) => app.inject({ method: 'POST', url: '/subscribe', headers: formHeaders, payload: formBody({ email }) });
      const fresh = await inject('brand.new@example.org'); // the confirmation mail is still stuck in the transport
      const active = await inject('active@example.org');
      expect(fresh.statusCode).toBe(200);
      expect(active.body).toBe(fresh.body);
      expect(sent).toHaveLength(0);
      release();
      await app.background.idle();
      expect(sent.map((message) => message.envelope.to)).toEqual(['brand.new@example.org']);
    } finally {
      await app.close();
    }
  });
});

describe('a stranger cannot put words in our mail', () => {
  it('re-posting a pending address changes neither its name nor its topics', async () => {
    const web = await world({ 'web.confirmationIntervalMinutes': 0 });
    await postForm(web.app, '/subscribe', { email: 'quinn@example.org', name: 'Quinn', topics: ['vision'] });
    await postForm(web.app, '/subscribe', { email: 'quinn@example.org', name: 'Visit http://evil.example', topics: ['code'] });
    expect(await web.find('quinn@example.org')).toMatchObject({ name: 'Quinn', preferences: { topics: ['vision'] }, status: 'pending' });
    const mails = mailsTo(web, 'quinn@example.org');
    expect(mails).toHaveLength(2);
    for (const mail of mails) {
      expect(mail.to).toBe('quinn@example.org');
      expect(`${mail.text}${mail.html}`).not.toMatch(/Quinn|evil/);
    }
  });
});

describe('the proxy setting', () => {
  it('refuses trustProxy: true, saying what to write instead', () => {
    const error = (() => {
      try {
        loadConfig({ env: {}, flags: { 'web.trustProxy': true } });
      } catch (thrown) {
        return thrown as PaperboyError;
      }
    })();
    expect(error).toBeInstanceOf(PaperboyError);
    expect(error!.message).toContain('"web.trustProxy"');
    expect(error!.message).toContain('1 for one nginx');
  });

  it('with trustProxy: 1, forged X-Forwarded-For prefixes do not buy a fresh budget', async () => {
    const web = await world({ 'web.trustProxy': 1, 'web.subscribeLimit': 5 }, false);
    const statuses: number[] = [];
    for (let i = 1; i <= 12; i++) {
      // The client writes a different address each time; the proxy (127.0.0.1) appends the real one.
      const response = await web.app.inject({
        method: 'POST',
        url: '/subscribe',
        remoteAddress: '127.0.0.1',
        headers: { ...formHeaders, 'x-forwarded-for': `10.0.0.${i}, 203.0.113.50` },
        payload: formBody({ email: `forger${i}@example.org` }),
      });
      statuses.push(response.statusCode);
    }
    expect(statuses.filter((status) => status === 200)).toHaveLength(5);
  });

  it('accepts the proxy addresses as a string list or CIDR', async () => {
    const web = await world({ 'web.trustProxy': '127.0.0.1, 10.0.0.0/8', 'web.subscribeLimit': 1 }, false);
    const from = (client: string) =>
      web.app.inject({
        method: 'POST',
        url: '/subscribe',
        remoteAddress: '127.0.0.1',
        headers: { ...formHeaders, 'x-forwarded-for': client },
        payload: formBody({ email: `${client.replace(/\W/g, '')}@example.org` }),
      });
    expect((await from('198.51.100.1')).statusCode).toBe(200);
    expect((await from('198.51.100.2')).statusCode).toBe(200);
    expect((await from('198.51.100.1')).statusCode).toBe(429);
  });
});

describe('requests nobody should be able to turn into a 500', () => {
  it('inherited property names under /static are not files', async () => {
    const web = await world();
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      const response = await web.app.inject({ method: 'GET', url: `/static/${name}` });
      expect(response.statusCode, name).toBe(404);
      expectSecurityHeaders(response);
    }
  });

  it('form routes take forms only: a JSON or text body is a 415, never a 500', async () => {
    const web = await world();
    for (const [type, payload] of [
      ['application/json', '{"email":{"toString":"x"}}'],
      ['text/plain', 'email=a@b.org'],
    ]) {
      for (const url of ['/subscribe', '/unsubscribe?token=x', '/preferences']) {
        const response = await web.app.inject({ method: 'POST', url, headers: { 'content-type': type! }, payload });
        expect(response.statusCode, `${type} ${url}`).toBe(415);
        expectSecurityHeaders(response);
      }
    }
    expect(web.sent).toHaveLength(0);
  });

  it('a repeated field is refused like any bad address', async () => {
    const web = await world();
    const response = await web.app.inject({ method: 'POST', url: '/subscribe', headers: formHeaders, payload: 'email=a@example.org&email=b@example.org' });
    expect(response.statusCode).toBe(400);
  });
});

describe('errors raised before routing', () => {
  it('carry the security headers and echo nothing of the request', async () => {
    const web = await world();
    const long = `/static/${'%3Cscript%3Ex'.repeat(12)}`;
    const cases = [
      [long, 414],
      ['/%zz<b>', 400],
      ['/archive/%E0%A4%A', 400],
    ] as const;
    for (const [url, status] of cases) {
      const response = await web.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(status);
      expectSecurityHeaders(response);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).not.toMatch(/script/i);
      expect(response.body).not.toContain('<b>');
      expect(response.body).not.toContain('%zz');
    }
  });

  it('a request the HTTP parser refuses (bad request line, headers too large) gets the same headers', async () => {
    const web = await world();
    const address = await web.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = new URL(address);
    const raw = (request: string) =>
      new Promise<string>((resolve) => {
        const socket = connect(Number(port), '127.0.0.1', () => socket.write(request));
        let answer = '';
        socket.on('data', (chunk) => (answer += chunk));
        socket.on('close', () => resolve(answer));
        socket.on('error', () => resolve(answer));
      });
    const garbage = await raw('GARBAGE\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    const huge = await raw(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(huge).toMatch(/^HTTP\/1\.1 431 /);
    for (const answer of [garbage, huge]) {
      expect(answer).toMatch(/content-security-policy: default-src 'none'/i);
      expect(answer).toMatch(/x-content-type-options: nosniff/i);
      expect(answer).not.toContain('aaaa');
    }
  });

  it("the dev preview's event stream carries them too", async () => {
    const web = await world();
    const app = await web.build({ dev: true, noRateLimit: true });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const controller = new AbortController();
    const response = await fetch(`${address}/preview/events`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    controller.abort();
  });
});
