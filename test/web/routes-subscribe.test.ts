import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/web/index.js';
import { addPeople } from '../helpers/delivery.js';
import { baseUrl, expectSecurityHeaders, formBody, formHeaders, openWeb, postForm, sharedWeb, worldDir } from '../helpers/web.js';

const { web, dir } = sharedWeb('paperboy-web-subscribe-');

const subscribe = (fields: Record<string, string | string[]>, remoteAddress?: string) => postForm(web.app, '/subscribe', fields, remoteAddress);
const mailsTo = (address: string) => web.sent.filter((message) => message.envelope.to === address);

describe('GET /', () => {
  it('shows the form with a labelled email input, the topics and the honeypot', async () => {
    const response = await web.app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
    const body = response.body;
    expect(body).toMatch(/<form method="post" action="\/subscribe"/);
    expect(body).toContain('<label for="email">');
    expect(body).toMatch(/<input id="email" name="email" type="email"/);
    expect(body).toMatch(/<input id="website" name="website" type="text" tabindex="-1"/);
    expect(body).toMatch(/class="trap" aria-hidden="true"/);
    expect(body).toContain('name="topics" value="vision"');
  });

  it('sends the security headers', async () => {
    const response = await web.app.inject({ method: 'GET', url: '/' });
    const csp = response.headers['content-security-policy'];
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    // Not a token page: cacheable and indexable.
    expect(response.headers['x-robots-tag']).toBeUndefined();
  });

  it('sends the security headers on every kind of response', async () => {
    const responses = [
      await web.app.inject({ method: 'GET', url: '/healthz' }),
      await web.app.inject({ method: 'GET', url: '/static/site.css' }),
      await web.app.inject({ method: 'GET', url: '/no-such-page' }),
      await web.app.inject({ method: 'GET', url: '/static/nothing.js' }),
      await subscribe({ email: 'nope' }),
      await web.app.inject({ method: 'POST', url: '/subscribe', headers: { 'content-type': 'application/xml' }, payload: '<email/>' }),
      await web.app.inject({ method: 'POST', url: '/subscribe', headers: formHeaders, payload: `email=${'x'.repeat(20_000)}` }),
      await web.app.inject({ method: 'GET', url: '/confirm?token=garbage' }),
    ];
    expect(responses.map((response) => response.statusCode)).toEqual([200, 200, 404, 404, 400, 415, 413, 400]);
    for (const response of responses) expectSecurityHeaders(response);
    expect(responses[2]!.headers['x-frame-options']).toBe('DENY');
  });
});

describe('POST /subscribe', () => {
  it('creates a pending web subscriber and sends one confirmation email with a signed link', async () => {
    const email = 'new.reader@example.org';
    const response = await subscribe({ email, name: 'Mallory Click-Here', topics: ['vision', 'agents'] });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Check your inbox');
    expectSecurityHeaders(response);

    const stored = await web.find(email);
    expect(stored).toMatchObject({ email, name: 'Mallory Click-Here', status: 'pending', source: 'web', lists: ['default'] });
    expect(stored!.preferences.topics).toEqual(['agents', 'vision']);
    expect(stored!.confirmedAt).toBeUndefined();

    const mails = mailsTo(email);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.subject).not.toContain('Mallory');
    expect(mail.subject).not.toContain('Click-Here');
    expect(mail.subject).toMatch(/Confirm/);
    // Nothing typed into the form but the address reaches the email: not in To, not in the body.
    expect(mail.to).toBe(email);
    for (const part of [mail.html, mail.text, mail.raw.toString('utf8')]) expect(part).not.toMatch(/Mallory|Click-Here/);
    expect(mail.subscriberId).toBe(stored!.id);
    const link = new RegExp(`${baseUrl.replace(/\./g, '\\.')}/confirm\\?token=([A-Za-z0-9._-]+)`).exec(mail.text);
    expect(link).not.toBeNull();
    // Handlebars writes the "=" of an attribute as &#x3D;, which a browser reads back as "=".
    expect(mail.html.replaceAll('&#x3D;', '=')).toContain(`href="${baseUrl}/confirm?token=${link![1]}"`);
    // The link is genuine: a confirm token for this subscriber, with an expiry.
    expect(web.signer.verify(link![1]!, 'confirm')).toMatchObject({ subscriberId: stored!.id, expired: false });
    expect(web.signer.verify(link![1]!, 'unsubscribe')).toBeUndefined();
    expect(link![1]!.split('.')[1]).not.toBe('0');
    // The raw message is what a transport would put on the wire.
    const raw = mail.raw.toString('utf8');
    expect(raw).toMatch(/^Subject: .*Confirm/m);
    expect(raw).not.toMatch(/^Subject: .*Mallory/m);
  });

  it('answers new, pending and active addresses identically; only the active one gets no email', async () => {
    await addPeople(web.world, [{ email: 'already.active@example.org', status: 'active' }]);
    const fresh = await subscribe({ email: 'fresh@example.org' });
    const pendingAgain = await subscribe({ email: 'fresh@example.org' });
    const active = await subscribe({ email: 'already.active@example.org' });
    expect([fresh.statusCode, pendingAgain.statusCode, active.statusCode]).toEqual([200, 200, 200]);
    expect(pendingAgain.body).toBe(fresh.body);
    expect(active.body).toBe(fresh.body);
    // Pending: asking again within web.confirmationIntervalMinutes sends nothing more.
    expect(mailsTo('fresh@example.org')).toHaveLength(1);
    expect((await web.find('fresh@example.org'))!.status).toBe('pending');
    // Active: nothing sent, nothing changed.
    expect(mailsTo('already.active@example.org')).toHaveLength(0);
    expect((await web.find('already.active@example.org'))!.status).toBe('active');
  });

  it('sends nothing to a bounced or complained address and gives the same answer', async () => {
    await addPeople(web.world, [
      { email: 'bounced@example.org', status: 'bounced' },
      { email: 'complained@example.org', status: 'complained' },
    ]);
    const reference = await subscribe({ email: 'someone.else@example.org' });
    const bounced = await subscribe({ email: 'bounced@example.org', name: 'Bo' });
    const complained = await subscribe({ email: 'complained@example.org' });
    expect(bounced.statusCode).toBe(200);
    expect(complained.statusCode).toBe(200);
    expect(bounced.body).toBe(reference.body);
    expect(complained.body).toBe(reference.body);
    expect(mailsTo('bounced@example.org')).toHaveLength(0);
    expect(mailsTo('complained@example.org')).toHaveLength(0);
    expect((await web.find('bounced@example.org'))!.status).toBe('bounced');
    expect((await web.find('complained@example.org'))!.status).toBe('complained');
  });

  it('lets someone who unsubscribed come back only by clicking the link mailed to them', async () => {
    const [id] = await addPeople(web.world, [{ email: 'came.back@example.org', status: 'active' }]);
    await web.world.subscribers.unsubscribe(id!);
    expect((await web.find('came.back@example.org'))!.status).toBe('unsubscribed');
    const reference = await subscribe({ email: 'reference.two@example.org' });

    const response = await subscribe({ email: 'came.back@example.org', name: 'Someone Else' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe(reference.body);
    // The form alone changes nothing: not the status, not the name.
    expect(await web.find('came.back@example.org')).toMatchObject({ status: 'unsubscribed', name: '' });
    const mails = mailsTo('came.back@example.org');
    expect(mails).toHaveLength(1);
    const token = /\/resubscribe\?token=([A-Za-z0-9._-]+)/.exec(mails[0]!.text)![1]!;
    // A confirm link would not do it; the resubscribe link does, with a button (GET changes nothing).
    expect((await postForm(web.app, '/confirm', { token })).statusCode).toBe(400);
    expect((await web.app.inject({ method: 'GET', url: `/resubscribe?token=${token}` })).body).toContain('Yes, subscribe me again');
    expect((await web.find('came.back@example.org'))!.status).toBe('unsubscribed');
    const back = await postForm(web.app, '/resubscribe', { token });
    expect(back.statusCode).toBe(200);
    expect((await web.find('came.back@example.org'))!.status).toBe('active');

    // Unsubscribing again later (an hour after that mail): the old link cannot undo it.
    web.world.db
      .prepare(`UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = ? WHERE id = ?`)
      .run(new Date(Date.now() + 3_600_000).toISOString(), id);
    await postForm(web.app, '/resubscribe', { token });
    expect((await web.find('came.back@example.org'))!.status).toBe('unsubscribed');
  });

  it('stores the address as typed (domain lower-cased) and knows it again in any case', async () => {
    await subscribe({ email: '  Mixed.Case@EXAMPLE.ORG ' });
    expect((await web.find('Mixed.Case@example.org'))!.status).toBe('pending');
    expect((await web.find('mixed.case@example.org'))!.email).toBe('Mixed.Case@example.org');
    await subscribe({ email: 'MIXED.CASE@Example.Org' });
    expect(mailsTo('Mixed.Case@example.org')).toHaveLength(1);
    const rows = web.world.db.prepare("SELECT count(*) AS n FROM subscribers WHERE lower(email) = 'mixed.case@example.org'").get() as { n: number };
    expect(rows.n).toBe(1);
  });

  it('refuses an invalid address with 400, says why, and stores nothing', async () => {
    const before = await web.world.subscribers.count({});
    const sentBefore = web.sent.length;
    const response = await subscribe({ email: 'not-an-address', name: 'Nobody' });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('That address does not look right: missing @.');
    expect(response.body).toContain('aria-invalid="true"');
    // The form comes back filled in.
    expect(response.body).toContain('value="not-an-address"');
    expect(await web.world.subscribers.count({})).toBe(before);
    expect(web.sent.length).toBe(sentBefore);

    const empty = await subscribe({});
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('address is empty');
    expect(await web.world.subscribers.count({})).toBe(before);
  });

  it('escapes what it echoes back into the form', async () => {
    const response = await subscribe({ email: '"><script>alert(1)</script>', name: '<b>x</b>' });
    expect(response.statusCode).toBe(400);
    expect(response.body).not.toContain('<script>alert(1)');
    expect(response.body).not.toContain('<b>x</b>');
    expect(response.body).toContain('&lt;script&gt;');
  });

  it('refuses a name with a line break (it would go into a header) and stores nothing', async () => {
    const response = await subscribe({ email: 'header.injection@example.org', name: 'Eve\r\nBcc: victim@example.org' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('That name cannot be used: name contains a line break.');
    expect(await web.find('header.injection@example.org')).toBeUndefined();
    expect(mailsTo('header.injection@example.org')).toHaveLength(0);
  });

  it('answers a filled honeypot exactly like a real subscribe, and does nothing', async () => {
    const before = await web.world.subscribers.count({});
    const sentBefore = web.sent.length;
    const real = await subscribe({ email: 'real.person@example.org' });
    const bot = await subscribe({ email: 'bot@example.org', name: 'Bot', website: 'http://spam' });
    expect(bot.statusCode).toBe(200);
    expect(bot.body).toBe(real.body);
    expect(await web.find('bot@example.org')).toBeUndefined();
    expect(await web.world.subscribers.count({})).toBe(before + 1);
    expect(web.sent.length).toBe(sentBefore + 1);
    expect(mailsTo('bot@example.org')).toHaveLength(0);
  });

  it('refuses a body over 16 KB with 413 and stores nothing', async () => {
    const email = 'too.big@example.org';
    const response = await web.app.inject({
      method: 'POST',
      url: '/subscribe',
      headers: formHeaders,
      payload: formBody({ email, name: 'x'.repeat(17 * 1024) }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.body).toContain('That was too much data.');
    expect(await web.find(email)).toBeUndefined();
    expect(mailsTo(email)).toHaveLength(0);
    // Just under the limit goes through the checks (and the name is refused as too long).
    const under = await subscribe({ email, name: 'x'.repeat(15 * 1024) });
    expect(under.statusCode).toBe(400);
    expect(under.body).toContain('name is longer than 200 characters');
  });

  it('still answers "check your inbox" when the transport refuses the confirmation', async () => {
    const failing = await openWeb(worldDir(dir.path, 'failing'), {}, { noRateLimit: true });
    try {
      const app = await buildApp({
        config: failing.world.config,
        subscribers: failing.world.subscribers,
        editions: failing.world.editions,
        papers: failing.papers,
        signer: failing.signer,
        transport: { name: 'broken', send: async () => Promise.reject(new Error('relay down')) },
        noRateLimit: true,
      });
      try {
        const response = await postForm(app, '/subscribe', { email: 'unlucky@example.org' });
        expect(response.statusCode).toBe(200);
        expect(response.body).toContain('Check your inbox');
        expect((await failing.find('unlucky@example.org'))!.status).toBe('pending');
      } finally {
        await app.close();
      }
    } finally {
      await failing.close();
    }
  });
});

describe('the per-IP subscribe limit', () => {
  it('answers the 4th attempt from one address with 429 when web.subscribeLimit is 3', async () => {
    const limited = await openWeb(worldDir(dir.path, 'limited'), { 'web.subscribeLimit': 3 });
    try {
      const statuses: number[] = [];
      for (let i = 1; i <= 4; i++) statuses.push((await postForm(limited.app, '/subscribe', { email: `try${i}@example.org` })).statusCode);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const refused = await postForm(limited.app, '/subscribe', { email: 'try5@example.org' });
      expect(refused.statusCode).toBe(429);
      expect(refused.body).toContain('Slow down');
      expect(refused.body).toMatch(/Too many attempts; try again in/);
      expectSecurityHeaders(refused);
      // Refused attempts store and send nothing.
      expect(await limited.find('try4@example.org')).toBeUndefined();
      expect(await limited.find('try5@example.org')).toBeUndefined();
      expect(limited.sent).toHaveLength(3);
      // Without web.trustProxy, a forged X-Forwarded-For does not buy a fresh budget.
      const spoofed = await limited.app.inject({
        method: 'POST',
        url: '/subscribe',
        headers: { ...formHeaders, 'x-forwarded-for': '198.51.100.7' },
        payload: formBody({ email: 'spoofed@example.org' }),
      });
      expect(spoofed.statusCode).toBe(429);
      // Another address has its own budget; the page itself is never limited.
      expect((await postForm(limited.app, '/subscribe', { email: 'other.ip@example.org' }, '203.0.113.9')).statusCode).toBe(200);
      expect((await limited.app.inject({ method: 'GET', url: '/' })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('behind a trusted proxy, counts by the X-Forwarded-For address', async () => {
    const proxied = await openWeb(worldDir(dir.path, 'proxied'), { 'web.subscribeLimit': 1, 'web.trustProxy': 1 });
    try {
      const from = (ip: string, email: string) =>
        proxied.app.inject({ method: 'POST', url: '/subscribe', headers: { ...formHeaders, 'x-forwarded-for': ip }, payload: formBody({ email }) });
      expect((await from('198.51.100.1', 'one@example.org')).statusCode).toBe(200);
      expect((await from('198.51.100.2', 'two@example.org')).statusCode).toBe(200);
      expect((await from('198.51.100.1', 'three@example.org')).statusCode).toBe(429);
    } finally {
      await proxied.close();
    }
  });

  it('counts invalid and honeypot posts too', async () => {
    const limited = await openWeb(worldDir(dir.path, 'limited-bots'), { 'web.subscribeLimit': 3 });
    try {
      await postForm(limited.app, '/subscribe', { email: 'bad' });
      await postForm(limited.app, '/subscribe', { email: 'bot@example.org', website: 'http://spam' });
      await postForm(limited.app, '/subscribe', { email: 'bad-again' });
      expect((await postForm(limited.app, '/subscribe', { email: 'person@example.org' })).statusCode).toBe(429);
    } finally {
      await limited.close();
    }
  });

  it('is lifted with noRateLimit: no 429 after 10 posts', async () => {
    const unlimited = await openWeb(worldDir(dir.path, 'unlimited'), { 'web.subscribeLimit': 3 }, { noRateLimit: true });
    try {
      const statuses: number[] = [];
      for (let i = 1; i <= 10; i++) statuses.push((await postForm(unlimited.app, '/subscribe', { email: `many${i}@example.org` })).statusCode);
      expect(statuses).toEqual(Array(10).fill(200));
      expect(await unlimited.world.subscribers.count({ status: 'pending' })).toBe(10);
      expect(unlimited.sent).toHaveLength(10);
    } finally {
      await unlimited.close();
    }
  });
});
