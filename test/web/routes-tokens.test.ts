import { describe, expect, it, vi } from 'vitest';
import { TokenSigner } from '../../src/subscribers/index.js';
import { addPeople } from '../helpers/delivery.js';
import { collector } from '../helpers/streams.js';
import { expectSecurityHeaders, forge, formHeaders, postForm, sharedWeb } from '../helpers/web.js';

const { web } = sharedWeb('paperboy-web-tokens-');

const inSeconds = (seconds: number) => Math.floor(Date.now() / 1000) + seconds;
const day = 86_400;

/** Someone who subscribed on the form: pending, with the token from their confirmation email. */
async function subscribeThroughForm(email: string): Promise<{ id: number; token: string }> {
  const response = await postForm(web.app, '/subscribe', { email });
  expect(response.statusCode).toBe(200);
  const mail = web.sent.filter((message) => message.envelope.to === email).at(-1)!;
  const token = /\/confirm\?token=([A-Za-z0-9._-]+)/.exec(mail.text)![1]!;
  return { id: (await web.find(email))!.id, token };
}

function expectTokenPage(response: { headers: Record<string, unknown>; body: string }): void {
  expect(response.headers['x-robots-tag']).toBe('noindex, nofollow');
  expect(response.headers['cache-control']).toBe('no-store');
  expect(response.body).toContain('<meta name="robots" content="noindex, nofollow">');
  expectSecurityHeaders(response);
}

describe('/confirm', () => {
  it('GET shows a button and changes nothing (mail scanners open links)', async () => {
    const email = 'confirm.get@example.org';
    const { token } = await subscribeThroughForm(email);
    const response = await web.app.inject({ method: 'GET', url: `/confirm?token=${token}` });
    expect(response.statusCode).toBe(200);
    expectTokenPage(response);
    expect(response.body).toMatch(/<form method="post" action="\/confirm">/);
    expect(response.body).toContain(`<input type="hidden" name="token" value="${token}">`);
    expect(response.body).toMatch(/<button type="submit">/);
    // Opening it twice still changes nothing.
    await web.app.inject({ method: 'GET', url: `/confirm?token=${token}` });
    const stored = await web.find(email);
    expect(stored!.status).toBe('pending');
    expect(stored!.confirmedAt).toBeUndefined();
  });

  it('POST with the token in the form body makes the subscriber active with confirmedAt', async () => {
    const email = 'confirm.post@example.org';
    const { token } = await subscribeThroughForm(email);
    const response = await postForm(web.app, '/confirm', { token });
    expect(response.statusCode).toBe(200);
    expectTokenPage(response);
    expect(response.body).toContain("You're subscribed");
    const stored = await web.find(email);
    expect(stored!.status).toBe('active');
    expect(stored!.confirmedAt).toBeDefined();
    expect(Date.now() - Date.parse(stored!.confirmedAt!)).toBeLessThan(60_000);
    // The page offers the preferences, through a preferences token for this subscriber.
    const preferences = /\/preferences\?token=([A-Za-z0-9._-]+)/.exec(response.body)![1]!;
    expect(web.signer.verify(preferences, 'preferences')).toEqual({ subscriberId: stored!.id, expired: false });
    // Confirming again is harmless and keeps the first confirmation time.
    const again = await postForm(web.app, '/confirm', { token });
    expect(again.statusCode).toBe(200);
    expect((await web.find(email))!.confirmedAt).toBe(stored!.confirmedAt);
  });

  it('does not turn a bounced subscriber active', async () => {
    const [id] = await addPeople(web.world, [{ email: 'confirm.bounced@example.org', status: 'bounced' }]);
    const response = await postForm(web.app, '/confirm', { token: web.token(id!, 'confirm', inSeconds(day)) });
    expect(response.statusCode).toBe(200);
    expect((await web.find('confirm.bounced@example.org'))!.status).toBe('bounced');
  });

  it('does not undo a later unsubscribe: an old confirm link leaves them unsubscribed', async () => {
    const email = 'confirm.then.left@example.org';
    const { token } = await subscribeThroughForm(email);
    await postForm(web.app, '/confirm', { token });
    const stored = (await web.find(email))!;
    await web.world.subscribers.unsubscribe(stored.id);
    const replay = await postForm(web.app, '/confirm', { token });
    expect(replay.statusCode).toBe(200);
    expect((await web.find(email))!.status).toBe('unsubscribed');
  });

  it('answers an expired token with 410 and leaves the subscriber pending', async () => {
    const [id] = await addPeople(web.world, [{ email: 'confirm.expired@example.org', status: 'pending' }]);
    const expired = web.token(id!, 'confirm', inSeconds(-60));
    const get = await web.app.inject({ method: 'GET', url: `/confirm?token=${expired}` });
    const post = await postForm(web.app, '/confirm', { token: expired });
    expect(get.statusCode).toBe(410);
    expect(post.statusCode).toBe(410);
    expect(post.body).toContain('This link has expired');
    expect(post.body).not.toContain('confirm.expired@example.org');
    expectTokenPage(post);
    expect((await web.find('confirm.expired@example.org'))!.status).toBe('pending');
  });

  it("expires the emailed link after web.confirmDays (the app's clock, injected)", async () => {
    const email = 'confirm.late@example.org';
    const { token } = await subscribeThroughForm(email);
    const later = await web.build({ now: () => new Date(Date.now() + 8 * day * 1000), noRateLimit: true });
    const sooner = await web.build({ now: () => new Date(Date.now() + 6 * day * 1000), noRateLimit: true });
    expect((await postForm(later, '/confirm', { token })).statusCode).toBe(410);
    expect((await web.find(email))!.status).toBe('pending');
    expect((await postForm(sooner, '/confirm', { token })).statusCode).toBe(200);
    expect((await web.find(email))!.status).toBe('active');
  });

  it('refuses a forged token with 400 that names nobody', async () => {
    const email = 'confirm.forged@example.org';
    const { token } = await subscribeThroughForm(email);
    const middle = token.length - 10;
    const forgedInside = token.slice(0, middle) + (token[middle] === 'x' ? 'y' : 'x') + token.slice(middle + 1);
    for (const bad of [forge(token), forgedInside, token.slice(0, -4), '', 'not-a-token']) {
      const get = await web.app.inject({ method: 'GET', url: `/confirm?token=${encodeURIComponent(bad)}` });
      const post = await postForm(web.app, '/confirm', { token: bad });
      expect([get.statusCode, post.statusCode]).toEqual([400, 400]);
      expect(post.body).toContain('This link is not valid');
      expect(post.body).not.toContain(email);
      expect(get.body).not.toContain(email);
      expectTokenPage(post);
    }
    expect((await web.find(email))!.status).toBe('pending');
  });

  it("refuses another purpose's token (unsubscribe, preferences) with 400", async () => {
    const [id] = await addPeople(web.world, [{ email: 'confirm.purpose@example.org', status: 'pending' }]);
    for (const purpose of ['unsubscribe', 'preferences'] as const) {
      const token = web.token(id!, purpose, inSeconds(day));
      expect((await web.app.inject({ method: 'GET', url: `/confirm?token=${token}` })).statusCode).toBe(400);
      expect((await postForm(web.app, '/confirm', { token })).statusCode).toBe(400);
    }
    expect((await web.find('confirm.purpose@example.org'))!.status).toBe('pending');
  });

  it('refuses a token signed with another secret', async () => {
    const [id] = await addPeople(web.world, [{ email: 'confirm.secret@example.org', status: 'pending' }]);
    const foreign = new TokenSigner('another-secret-of-enough-length').sign({ subscriberId: id!, purpose: 'confirm' });
    expect((await postForm(web.app, '/confirm', { token: foreign })).statusCode).toBe(400);
    expect((await web.find('confirm.secret@example.org'))!.status).toBe('pending');
  });
});

describe('/unsubscribe', () => {
  const oneClick = (url: string) => web.app.inject({ method: 'POST', url, headers: formHeaders, payload: 'List-Unsubscribe=One-Click' });

  it('GET shows a button and leaves the subscriber active', async () => {
    const [id] = await addPeople(web.world, [{ email: 'unsub.get@example.org' }]);
    const token = web.token(id!, 'unsubscribe');
    expect(token.split('.')[1]).toBe('0'); // never expires
    const response = await web.app.inject({ method: 'GET', url: `/unsubscribe?token=${token}` });
    expect(response.statusCode).toBe(200);
    expectTokenPage(response);
    expect(response.body).toContain(`<form method="post" action="/unsubscribe?token=${token}">`);
    expect(response.body).toMatch(/<button type="submit">Unsubscribe<\/button>/);
    expect((await web.find('unsub.get@example.org'))!.status).toBe('active');
  });

  it('RFC 8058 one-click POST (token in the URL) unsubscribes; again, and after removal, the same answer', async () => {
    const [id] = await addPeople(web.world, [{ email: 'unsub.oneclick@example.org' }]);
    const url = `/unsubscribe?token=${web.token(id!, 'unsubscribe')}`;
    const first = await oneClick(url);
    expect(first.statusCode).toBe(200);
    expectTokenPage(first);
    expect(first.body).toContain("You're unsubscribed");
    expect(first.body).not.toContain('unsub.oneclick@example.org');
    const stored = await web.find('unsub.oneclick@example.org');
    expect(stored!.status).toBe('unsubscribed');
    expect(stored!.unsubscribedAt).toBeDefined();

    const second = await oneClick(url);
    expect(second.statusCode).toBe(200);
    expect(second.body).toBe(first.body);
    expect((await web.find('unsub.oneclick@example.org'))!.unsubscribedAt).toBe(stored!.unsubscribedAt);

    await web.world.subscribers.remove(id!);
    const removed = await oneClick(url);
    expect(removed.statusCode).toBe(200);
    expect(removed.body).toBe(first.body);
    expect(await web.find('unsub.oneclick@example.org')).toBeUndefined();
  });

  it('accepts the one-click POST as multipart/form-data (what RFC 8058 recommends)', async () => {
    const [id] = await addPeople(web.world, [{ email: 'unsub.multipart@example.org' }]);
    const boundary = '---FormBoundaryjWmhtjORrn';
    const response = await web.app.inject({
      method: 'POST',
      url: `/unsubscribe?token=${web.token(id!, 'unsubscribe')}`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
    });
    expect(response.statusCode).toBe(200);
    expect((await web.find('unsub.multipart@example.org'))!.status).toBe('unsubscribed');
    // The body is still bounded, and a multipart subscribe is simply an empty form.
    const huge = await web.app.inject({
      method: 'POST',
      url: `/unsubscribe?token=${web.token(id!, 'unsubscribe')}`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: 'x'.repeat(17 * 1024),
    });
    expect(huge.statusCode).toBe(413);
    const subscribe = await web.app.inject({
      method: 'POST',
      url: '/subscribe',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="email"\r\n\r\nmultipart@example.org\r\n--${boundary}--\r\n`,
    });
    expect(subscribe.statusCode).toBe(400);
    expect(await web.find('multipart@example.org')).toBeUndefined();
  });

  it('also takes the token from the form body (the button on the GET page)', async () => {
    const [id] = await addPeople(web.world, [{ email: 'unsub.form@example.org' }]);
    const response = await postForm(web.app, '/unsubscribe', { token: web.token(id!, 'unsubscribe') });
    expect(response.statusCode).toBe(200);
    expect((await web.find('unsub.form@example.org'))!.status).toBe('unsubscribed');
  });

  it('unsubscribes a pending subscriber too, and never wakes a bounced one', async () => {
    const [pending, bounced] = await addPeople(web.world, [
      { email: 'unsub.pending@example.org', status: 'pending' },
      { email: 'unsub.bounced@example.org', status: 'bounced' },
    ]);
    expect((await oneClick(`/unsubscribe?token=${web.token(pending!, 'unsubscribe')}`)).statusCode).toBe(200);
    expect((await oneClick(`/unsubscribe?token=${web.token(bounced!, 'unsubscribe')}`)).statusCode).toBe(200);
    expect((await web.find('unsub.pending@example.org'))!.status).toBe('unsubscribed');
    expect((await web.find('unsub.bounced@example.org'))!.status).toBe('bounced');
  });

  it('refuses a forged or altered token with a 400 that reveals nothing', async () => {
    const email = 'unsub.forged@example.org';
    const [id, other] = await addPeople(web.world, [{ email }, { email: 'unsub.neighbour@example.org' }]);
    const token = web.token(id!, 'unsubscribe');
    // Someone else's id with this subscriber's signature: the classic enumeration attempt.
    const otherId = `${other!.toString(36)}.${token.split('.').slice(1).join('.')}`;
    for (const bad of [forge(token), otherId, token.slice(0, -1), web.token(id!, 'confirm'), web.token(id!, 'preferences')]) {
      const oneClickResponse = await oneClick(`/unsubscribe?token=${encodeURIComponent(bad)}`);
      const get = await web.app.inject({ method: 'GET', url: `/unsubscribe?token=${encodeURIComponent(bad)}` });
      expect([oneClickResponse.statusCode, get.statusCode]).toEqual([400, 400]);
      for (const body of [oneClickResponse.body, get.body]) {
        expect(body).toContain('This link is not valid');
        expect(body).not.toContain(email);
        expect(body).not.toContain('unsub.neighbour@example.org');
        expect(body).not.toContain(bad);
      }
    }
    // The same page whatever was wrong with the token.
    const a = await oneClick(`/unsubscribe?token=${forge(token)}`);
    const b = await oneClick(`/unsubscribe?token=${otherId}`);
    expect(a.body).toBe(b.body);
    expect((await web.find(email))!.status).toBe('active');
    expect((await web.find('unsub.neighbour@example.org'))!.status).toBe('active');
  });

  it('a missing token is a 400', async () => {
    expect((await oneClick('/unsubscribe')).statusCode).toBe(400);
    expect((await web.app.inject({ method: 'GET', url: '/unsubscribe' })).statusCode).toBe(400);
  });
});

describe('/preferences', () => {
  it('GET shows the current topics checked, the lists and the papers per digest', async () => {
    const [id] = await addPeople(web.world, [{ email: 'prefs.get@example.org' }]);
    await web.world.subscribers.setPreferences(id!, { topics: ['vision', 'quantum'], maxPapers: 4 });
    await web.world.subscribers.createList('insiders', 'Private: only the operator adds people');
    const response = await web.app.inject({ method: 'GET', url: `/preferences?token=${web.token(id!, 'preferences')}` });
    expect(response.statusCode).toBe(200);
    expectTokenPage(response);
    const body = response.body;
    expect(body).toContain('prefs.get@example.org');
    expect(body).toContain('<input type="checkbox" name="topics" value="vision" checked>');
    // Only the topics the site offers are shown (one set by the operator stays stored, not offered).
    expect(body).not.toContain('value="quantum"');
    expect(body).toContain('<input type="checkbox" name="topics" value="agents">');
    expect(body).toMatch(/<input id="maxPapers" name="maxPapers" type="number" min="1" max="10" value="4">/);
    expect(body).toContain('<input type="checkbox" name="lists" value="default" checked>');
    // A private list is not offered to someone who is not on it.
    expect(body).not.toContain('value="insiders"');
    expect(body).toMatch(/<form method="post" action="\/preferences">/);
  });

  it('POST stores topics, papers per digest and lists; only offered topics and public lists go in', async () => {
    await web.world.subscribers.createList('weekly', 'The week in one email', { public: true });
    await web.world.subscribers.createList('staff', 'Private');
    const [id] = await addPeople(web.world, [{ email: 'prefs.post@example.org' }]);
    await web.world.subscribers.upsertMany([{ email: 'prefs.post@example.org', status: 'active', source: 'cli', lists: ['weekly'] }]);
    expect((await web.find('prefs.post@example.org'))!.lists).toEqual(['default', 'weekly']);
    const token = web.token(id!, 'preferences');

    const response = await postForm(web.app, '/preferences', {
      token,
      topics: ['code', 'vision', 'not-offered', 'x'.repeat(500)],
      maxPapers: '3',
      lists: ['default', 'no-such-list', 'staff'],
    });
    expect(response.statusCode).toBe(200);
    expectTokenPage(response);
    expect(response.body).toContain('Saved');
    const stored = await web.find('prefs.post@example.org');
    expect(stored!.preferences).toEqual({ topics: ['code', 'vision'], maxPapers: 3 });
    expect(stored!.lists).toEqual(['default']);
    expect(stored!.status).toBe('active');

    // The page shows them back.
    const again = await web.app.inject({ method: 'GET', url: `/preferences?token=${token}` });
    expect(again.body).toContain('value="code" checked');
    expect(again.body).toContain('<input type="checkbox" name="lists" value="weekly">');
    expect(again.body).toContain('value="3"');
  });

  it('a form with one topic and lists given once (strings, not arrays) works too; a nonsense count is dropped', async () => {
    const [id] = await addPeople(web.world, [{ email: 'prefs.single@example.org' }]);
    const response = await postForm(web.app, '/preferences', { token: web.token(id!, 'preferences'), topics: 'Robotics', maxPapers: 'lots', lists: 'default' });
    expect(response.statusCode).toBe(200);
    const stored = await web.find('prefs.single@example.org');
    expect(stored!.preferences).toEqual({ topics: ['robotics'] });
    expect(stored!.lists).toEqual(['default']);
  });

  it('refuses a forged token, and an unsubscribe token, with 400 and changes nothing', async () => {
    const [id] = await addPeople(web.world, [{ email: 'prefs.forged@example.org' }]);
    for (const token of [forge(web.token(id!, 'preferences')), web.token(id!, 'unsubscribe')]) {
      const get = await web.app.inject({ method: 'GET', url: `/preferences?token=${token}` });
      const post = await postForm(web.app, '/preferences', { token, topics: 'nlp', lists: [] });
      expect([get.statusCode, post.statusCode]).toEqual([400, 400]);
      expect(get.body).not.toContain('prefs.forged@example.org');
    }
    const stored = await web.find('prefs.forged@example.org');
    expect(stored!.preferences).toEqual({ topics: [] });
    expect(stored!.lists).toEqual(['default']);
  });

  it('answers 404 for a removed subscriber', async () => {
    const [id] = await addPeople(web.world, [{ email: 'prefs.removed@example.org' }]);
    await web.world.subscribers.remove(id!);
    const token = web.token(id!, 'preferences');
    expect((await web.app.inject({ method: 'GET', url: `/preferences?token=${token}` })).statusCode).toBe(404);
    expect((await postForm(web.app, '/preferences', { token, topics: 'nlp' })).statusCode).toBe(404);
  });
});

describe('logging', () => {
  it('logs the path of a token link, never the token', async () => {
    const logs = collector();
    const app = await web.build({ logger: { level: 'info', stream: logs.stream }, noRateLimit: true });
    const [id] = await addPeople(web.world, [{ email: 'logged@example.org' }]);
    const token = web.token(id!, 'unsubscribe');
    const confirm = web.token(id!, 'confirm', inSeconds(day));
    expect((await app.inject({ method: 'GET', url: `/unsubscribe?token=${token}` })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: `/confirm?token=${forge(confirm)}` })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: `/no-such-page?token=${token}` })).statusCode).toBe(404);
    expect(
      (await app.inject({ method: 'POST', url: `/unsubscribe?token=${token}`, headers: formHeaders, payload: 'List-Unsubscribe=One-Click' })).statusCode,
    ).toBe(200);
    await vi.waitFor(() => expect(logs.text().match(/"msg":"request"/g)?.length).toBe(4));

    const text = logs.text();
    const lines = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string; url?: string; status?: number });
    // One line per request, with its path and status.
    expect(lines.filter((line) => line.msg === 'request').map((line) => [line.url, line.status])).toEqual([
      ['/unsubscribe', 200],
      ['/confirm', 400],
      ['/no-such-page', 404],
      ['/unsubscribe', 200],
    ]);
    expect(text).toContain('/unsubscribe');
    expect(text).toContain('/confirm');
    expect(text).not.toContain(token);
    expect(text).not.toContain(forge(confirm));
    expect(text).not.toContain(confirm.split('.')[2]!.slice(0, 12));
    expect(text).not.toContain('token=');
    expect(text).not.toContain('logged@example.org');
  });
});
