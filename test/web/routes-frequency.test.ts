import { describe, expect, it } from 'vitest';
import type { Preferences } from '../../src/subscribers/index.js';
import { addPeople } from '../helpers/delivery.js';
import { postForm, sharedWeb } from '../helpers/web.js';

const { web } = sharedWeb('paperboy-web-frequency-');

const subscribe = (fields: Record<string, string | string[]>) => postForm(web.app, '/subscribe', fields);
const preferencesOf = async (email: string) => (await web.find(email))!.preferences;

/** A reader with a preferences link. */
async function reader(email: string, preferences?: Preferences): Promise<{ id: number; token: string }> {
  const [id] = await addPeople(web.world, [{ email }]);
  if (preferences) await web.world.subscribers.setPreferences(id!, preferences);
  return { id: id!, token: web.token(id!, 'preferences') };
}

const textareaOf = (body: string) => /<textarea id="alerts" name="alerts"[^>]*>([\s\S]*?)<\/textarea>/.exec(body)?.[1];

describe('the subscribe form', () => {
  it('offers daily (chosen) and weekly as labelled radio buttons, and not alerts', async () => {
    const body = (await web.app.inject({ method: 'GET', url: '/' })).body;
    expect(body).toMatch(/<fieldset><legend>How often<\/legend>/);
    expect(body).toContain('<label><input type="radio" name="frequency" value="daily" checked> Every day</label>');
    expect(body).toContain('<label><input type="radio" name="frequency" value="weekly"> Once a week</label>');
    expect(body).not.toContain('value="alerts"');
  });

  it('stores weekly when chosen, and daily for no choice or anything it does not offer', async () => {
    expect((await subscribe({ email: 'weekly.reader@example.org', frequency: 'weekly', topics: 'vision' })).statusCode).toBe(200);
    await subscribe({ email: 'no.choice@example.org' });
    await subscribe({ email: 'chose.daily@example.org', frequency: 'daily' });
    await subscribe({ email: 'wants.alerts@example.org', frequency: 'alerts' });
    await subscribe({ email: 'shouts@example.org', frequency: 'WEEKLY' });
    await subscribe({ email: 'twice@example.org', frequency: ['weekly', 'daily'] });

    const weekly = await web.find('weekly.reader@example.org');
    expect(weekly).toMatchObject({ status: 'pending', source: 'web' });
    expect(weekly!.preferences).toEqual({ topics: ['vision'], frequency: 'weekly' });
    for (const email of ['no.choice@example.org', 'chose.daily@example.org', 'wants.alerts@example.org', 'shouts@example.org', 'twice@example.org']) {
      expect(await preferencesOf(email), email).toEqual({ topics: [] });
    }
    // Each of them was still sent a confirmation link.
    expect(web.sent.filter((mail) => mail.envelope.to === 'weekly.reader@example.org')).toHaveLength(1);
  });

  it('keeps weekly chosen when the form comes back with an error, and stores nothing', async () => {
    const response = await subscribe({ email: 'not an address', frequency: 'weekly' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('<input type="radio" name="frequency" value="weekly" checked>');
    expect(response.body).toContain('<input type="radio" name="frequency" value="daily">');
  });

  it('does not change the frequency of an address that is already pending', async () => {
    await subscribe({ email: 'pending.once@example.org', frequency: 'weekly' });
    await subscribe({ email: 'pending.once@example.org', frequency: 'daily' });
    expect(await preferencesOf('pending.once@example.org')).toEqual({ topics: [], frequency: 'weekly' });
  });
});

describe('the preferences page', () => {
  it('shows the stored frequency and alerts, each input labelled', async () => {
    const { token } = await reader('shows.alerts@example.org', { topics: ['vision'], frequency: 'alerts', alerts: ['agent', 'diffusion models'] });
    const response = await web.app.inject({ method: 'GET', url: `/preferences?token=${token}` });
    expect(response.statusCode).toBe(200);
    const body = response.body;
    expect(body).toContain('<label><input type="radio" name="frequency" value="daily"> Every day</label>');
    expect(body).toContain('<label><input type="radio" name="frequency" value="weekly"> Once a week</label>');
    expect(body).toContain('<label><input type="radio" name="frequency" value="alerts" checked> Only when a paper matches my alerts</label>');
    expect(body).toContain('<label for="alerts">');
    expect(body).toContain('One search per line, up to 5.');
    expect(body).toMatch(/<textarea id="alerts" name="alerts"[^>]* aria-describedby="alerts-hint"/);
    expect(body).toContain('id="alerts-hint"');
    expect(textareaOf(body)).toBe('agent\ndiffusion models');
  });

  it('a reader with no frequency stored sees daily chosen and no alerts', async () => {
    const { token } = await reader('plain.daily@example.org');
    const body = (await web.app.inject({ method: 'GET', url: `/preferences?token=${token}` })).body;
    expect(body).toContain('value="daily" checked');
    expect(body).not.toMatch(/value="(weekly|alerts)" checked/);
    expect(textareaOf(body)).toBe('');
  });

  it('saves the frequency and the alerts normalized, with topics and papers per digest, and shows them back', async () => {
    const { token } = await reader('saves.alerts@example.org');
    const response = await postForm(web.app, '/preferences', {
      token,
      topics: 'vision',
      maxPapers: '4',
      lists: 'default',
      frequency: 'alerts',
      alerts: 'Diffusion   Models\r\n\r\nagent\r\n  AGENT  \r\n',
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Saved');
    expect(await preferencesOf('saves.alerts@example.org')).toEqual({
      topics: ['vision'],
      maxPapers: 4,
      frequency: 'alerts',
      alerts: ['agent', 'Diffusion Models'],
    });

    const again = (await web.app.inject({ method: 'GET', url: `/preferences?token=${token}` })).body;
    expect(again).toContain('value="alerts" checked');
    expect(textareaOf(again)).toBe('agent\nDiffusion Models');
    expect(again).toContain('value="vision" checked');
  });

  it('saves weekly with alerts, and daily with none (the stored alerts then cleared)', async () => {
    const { token } = await reader('changes.mind@example.org', { topics: [], frequency: 'alerts', alerts: ['robots'] });
    await postForm(web.app, '/preferences', { token, lists: 'default', frequency: 'weekly', alerts: 'robots\nspeech' });
    expect(await preferencesOf('changes.mind@example.org')).toEqual({ topics: [], frequency: 'weekly', alerts: ['robots', 'speech'] });
    await postForm(web.app, '/preferences', { token, lists: 'default', frequency: 'daily', alerts: '' });
    expect(await preferencesOf('changes.mind@example.org')).toEqual({ topics: [] });
  });

  it('escapes alerts when it shows them', async () => {
    const { token } = await reader('escapes@example.org');
    await postForm(web.app, '/preferences', { token, lists: 'default', frequency: 'daily', alerts: '</textarea><script>alert(1)</script>' });
    const stored = (await preferencesOf('escapes@example.org')).alerts;
    expect(stored).toEqual(['</textarea><script>alert(1)</script>']);
    const body = (await web.app.inject({ method: 'GET', url: `/preferences?token=${token}` })).body;
    expect(body).not.toContain('<script>');
    expect(textareaOf(body)).toBe('&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  describe('refuses, with the reason, and saves nothing', () => {
    const before: Preferences = { topics: ['vision'], maxPapers: 3, frequency: 'weekly', alerts: ['robots'] };
    const cases: [string, Record<string, string | string[]>, string][] = [
      [
        'more than five alerts',
        { frequency: 'daily', alerts: 'one\ntwo\nthree\nfour\nfive\nsix' },
        '6 alerts given; a reader keeps at most 5. Drop some and try again.',
      ],
      [
        'an alert made only of stop words',
        { frequency: 'weekly', alerts: 'agents\nthe' },
        'The alert &quot;the&quot; has no word to search for (only stop words)',
      ],
      ['an alert over 100 characters', { frequency: 'weekly', alerts: 'x'.repeat(101) }, 'is longer than 100 characters; shorten it.'],
      ['alerts only, without an alert', { frequency: 'alerts', alerts: ' \n \n' }, 'Add at least one alert, or choose daily or weekly.'],
    ];

    it.each(cases)('%s', async (name, fields, message) => {
      const email = `refused.${name.replace(/\W+/g, '-')}@example.org`;
      const { token } = await reader(email, before);
      // Everything else in the form is changed too: none of it may be saved.
      const response = await postForm(web.app, '/preferences', { token, topics: 'code', maxPapers: '2', lists: [], ...fields });
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
      expect(response.body).toMatch(/<p class="error" role="alert" id="form-error">[^<]+<\/p>/);
      expect(response.body).toContain(message);
      expect(response.body).not.toContain('Saved');
      // The form again, as posted, with the textarea pointing at the error.
      expect(response.body).toMatch(/<form method="post" action="\/preferences">/);
      expect(response.body).toContain(`value="${fields.frequency}" checked`);
      expect(response.body).toContain('value="code" checked');
      expect(response.body).toMatch(/<textarea id="alerts" name="alerts"[^>]* aria-invalid="true" aria-describedby="form-error alerts-hint"/);
      expect(textareaOf(response.body)).toBe(
        String(fields.alerts)
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean)
          .join('\n'),
      );

      const stored = (await web.find(email))!;
      expect(stored.preferences).toEqual(before);
      expect(stored.lists).toEqual(['default']);
    });
  });
});
