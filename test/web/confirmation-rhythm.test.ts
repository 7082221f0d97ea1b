import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import type { Frequency } from '../../src/subscribers/index.js';
import { addPeople } from '../helpers/delivery.js';
import { postForm, sharedWeb } from '../helpers/web.js';

const { web } = sharedWeb('paperboy-web-confirmation-rhythm-');

/** What each rhythm's confirmation must say, and what only a daily reader may be told. */
const promises: Record<Frequency, { mail: RegExp; page: RegExp; confirmed: RegExp }> = {
  daily: { mail: /the day's most upvoted research papers, every morning/, page: /arrives every morning/, confirmed: /comes tomorrow morning/ },
  weekly: { mail: /the week's most upvoted research papers, once a week/, page: /arrives once a week/, confirmed: /first weekly roundup .* comes next week/ },
  alerts: {
    mail: /the papers your saved searches find/,
    page: /when one of your saved searches finds a new paper/,
    confirmed: /when one of your saved searches finds a new paper/,
  },
};
const daily = /every morning|daily digest|tomorrow morning|daily papers digest/;
const why: Record<Frequency, string> = { daily: 'its daily digest', weekly: 'its weekly roundup', alerts: 'its search alerts' };

/** Subscribes through the form as a reader of `rhythm` would, and returns their confirmation mail, parsed back from its MIME, and its token. */
async function confirmationOf(email: string, rhythm: Frequency) {
  const fields: Record<string, string> = { email, frequency: rhythm, ...(rhythm === 'alerts' ? { alerts: 'protein folding' } : {}) };
  expect((await postForm(web.app, '/subscribe', fields)).statusCode).toBe(200);
  expect((await web.find(email))!.preferences.frequency ?? 'daily').toBe(rhythm);
  const sent = web.sent.filter((message) => message.envelope.to === email).at(-1)!;
  const parsed = await simpleParser(sent.raw);
  const token = /\/confirm\?token=([A-Za-z0-9._-]+)/.exec(parsed.text!)![1]!;
  return { text: parsed.text!, html: parsed.html as string, token };
}

/** The hidden preheader of an HTML part. */
const preheaderOf = (html: string) => /<div class="preheader"[^>]*>([^<&]*)/.exec(html)![1]!;

describe.each(['daily', 'weekly', 'alerts'] as const)('a %s reader', (rhythm) => {
  it('is promised their rhythm in both parts of the confirmation mail, and its preheader', async () => {
    const email = `${rhythm}.mail@example.org`;
    const { text, html } = await confirmationOf(email, rhythm);
    const flat = (part: string) => part.replace(/\s+/g, ' ');
    for (const part of [flat(text), flat(html)]) {
      expect(part).toMatch(promises[rhythm].mail);
      expect(part).toContain(`someone asked for ${why[rhythm]} at ${email}`);
      if (rhythm !== 'daily') expect(part).not.toMatch(daily);
    }
    expect(text).toMatch(/^-- $/m); // the signature separator mail clients recognise
    if (rhythm === 'daily') expect(preheaderOf(html)).toBe('One click and the daily papers digest is yours.');
    else expect(preheaderOf(html)).not.toMatch(daily);
  });

  it('is promised their rhythm on the confirmation page, and told when the first mail comes', async () => {
    const { token } = await confirmationOf(`${rhythm}.page@example.org`, rhythm);
    const page = await web.app.inject({ method: 'GET', url: `/confirm?token=${token}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(promises[rhythm].page);
    const done = await postForm(web.app, '/confirm', { token });
    expect(done.statusCode).toBe(200);
    expect(done.body).toMatch(promises[rhythm].confirmed);
    if (rhythm !== 'daily') for (const body of [page.body, done.body]) expect(body).not.toMatch(daily);
  });

  it('coming back after unsubscribing, is promised their rhythm on the resubscribe pages', async () => {
    const email = `${rhythm}.back@example.org`;
    const [id] = await addPeople(web.world, [{ email }]);
    await web.world.subscribers.setPreferences(id!, { topics: [], frequency: rhythm, ...(rhythm === 'alerts' ? { alerts: ['agent'] } : {}) });
    await web.world.subscribers.unsubscribe(id!);
    const token = web.token(id!, 'resubscribe', Math.floor(Date.now() / 1000) + 3600);
    const page = await web.app.inject({ method: 'GET', url: `/resubscribe?token=${token}` });
    expect(page.body).toMatch(promises[rhythm].page);
    const done = await postForm(web.app, '/resubscribe', { token });
    expect(done.body).toMatch(promises[rhythm].confirmed);
    if (rhythm !== 'daily') for (const body of [page.body, done.body]) expect(body).not.toMatch(daily);
  });
});
