/**
 * "Get this search by email" for addresses already on the list, through a real HTTP server, a
 * real SQLite file and a real SMTP server on port 0: the page answers an active reader exactly as
 * a new address, and the mail that follows links to their preferences page with the search
 * proposed, saved only when they submit the form there.
 */
import { type ParsedMail, simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTransport, type Transport } from '../../src/delivery/index.js';
import { SqliteBounceStore, SqlitePaperArchive, storeId } from '../../src/stores/sqlite/index.js';
import { type Preferences, TokenSigner } from '../../src/subscribers/index.js';
import { buildApp } from '../../src/web/index.js';
import { addPeople, type DeliveryWorld, openWorld, type Person } from '../helpers/delivery.js';
import { tempDir } from '../helpers/files.js';
import { type Sink, startSink } from '../helpers/smtp-sink.js';
import { baseUrl, formBody, formHeaders, webSecret } from '../helpers/web.js';

const dir = tempDir('paperboy-search-by-email-');
let sink: Sink;
let world: DeliveryWorld;
let transport: Transport;
let app: Awaited<ReturnType<typeof buildApp>>;
let server: string;

beforeAll(async () => {
  sink = await startSink();
  world = openWorld(dir.path, { 'newsletter.baseUrl': baseUrl, 'newsletter.from': 'Paperboy <news@example.org>' });
  transport = await createTransport(sink.url, { maxConnections: 1, rateLimit: 0, tlsRejectUnauthorized: false, env: {} });
  app = await buildApp({
    config: world.config,
    subscribers: world.subscribers,
    editions: world.editions,
    papers: new SqlitePaperArchive(world.db),
    signer: new TokenSigner(webSecret),
    transport,
    bounces: { store: new SqliteBounceStore(world.db), storeId: storeId(world.db) },
    noRateLimit: true,
  });
  server = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app?.close();
  await transport?.close?.();
  world?.close();
  await sink?.close();
  dir.remove();
});

interface Answer {
  status: number;
  type: string | null;
  body: string;
}

const answer = async (response: Response): Promise<Answer> => ({
  status: response.status,
  type: response.headers.get('content-type'),
  body: await response.text(),
});
const get = async (path: string) => answer(await fetch(`${server}${path}`));
const post = async (path: string, fields: Record<string, string | readonly string[]>) =>
  answer(await fetch(`${server}${path}`, { method: 'POST', headers: formHeaders, body: formBody(fields) }));

/** The search page's "Get this search by email" form, posted as a browser would. */
const askForSearch = (email: string, ...alerts: string[]) => post('/subscribe', { email, alerts, frequency: 'alerts', website: '' });

async function reader(person: Person, preferences?: Preferences): Promise<number> {
  const [id] = await addPeople(world, [person]);
  if (preferences) await world.subscribers.setPreferences(id!, preferences);
  return id!;
}

const preferencesOf = async (email: string) => (await world.subscribers.findByEmail(email))!.preferences;

/** The one mail sent to `to` once it has arrived, parsed, and the links in its text part. */
async function mailTo(to: string): Promise<{ raw: string; parsed: ParsedMail; links: string[] }> {
  await vi.waitFor(() => expect(sink.received.filter((mail) => mail.to.includes(to))).toHaveLength(1), { timeout: 60_000, interval: 10 });
  const raw = sink.received.find((mail) => mail.to.includes(to))!.raw;
  const parsed = await simpleParser(raw);
  return { raw: raw.toString('utf8'), parsed, links: parsed.text!.match(/https?:\/\/\S+/g) ?? [] };
}

/** A mailed link as a path on the test's server (mail links start with the configured base URL). */
const onServer = (link: string) => {
  expect(link.startsWith(`${baseUrl}/`)).toBe(true);
  return link.slice(baseUrl.length);
};

const htmlText = (text: string) =>
  text
    .replace(/&#x3D;/g, '=')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/**
 * The fields a browser would submit from the page's (first) POST form: hidden and number inputs,
 * checked boxes and radios, textareas. Read with patterns rather than an HTML parser: the pages
 * are the server's own few forms, written one way (src/web/html.ts), and the project has no parser.
 */
function formOf(page: string): Record<string, string[]> {
  const form = /<form method="post"[\s\S]*?<\/form>/.exec(page)![0];
  const fields: Record<string, string[]> = {};
  const add = (name: string, value: string) => (fields[name] ??= []).push(htmlText(value));
  for (const [input] of form.matchAll(/<input [^>]*>/g)) {
    const attribute = (name: string) => new RegExp(` ${name}="([^"]*)"`).exec(input)?.[1];
    const type = attribute('type');
    const name = attribute('name');
    if (!name) continue;
    if ((type === 'radio' || type === 'checkbox') && !/ checked[ >]/.test(input)) continue;
    add(name, attribute('value') ?? 'on');
  }
  for (const [, name, text] of form.matchAll(/<textarea [^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) add(name!, text!);
  return fields;
}

describe('"Get this search by email" from an address already on the list', () => {
  it('answers an active reader exactly as a new address, then mails them one link to their preferences with the search proposed', async () => {
    await reader({ email: 'ada@example.org', name: 'Ada' }, { topics: ['vision'], alerts: ['agent'] });
    await reader({ email: 'pending.one@example.org', status: 'pending' });
    await reader({ email: 'bounced.one@example.org', status: 'bounced' });
    const fresh = await askForSearch('newcomer@example.org', 'Mixture of Experts');
    const active = await askForSearch('ada@example.org', 'Mixture of Experts');
    const pending = await askForSearch('pending.one@example.org', 'Mixture of Experts');
    const bounced = await askForSearch('bounced.one@example.org', 'Mixture of Experts');
    expect(fresh).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    for (const other of [active, pending, bounced]) expect(other).toEqual(fresh);
    expect(fresh.body).toContain('a link to your preferences page comes instead, with the search ready to add to your alerts');

    const { raw, parsed, links } = await mailTo('ada@example.org');
    expect(parsed.subject).toBe('Add a search to your Paperboy Daily Papers alerts?');
    expect(parsed.from?.value).toEqual([{ address: 'news@example.org', name: 'Paperboy' }]);
    expect(parsed.to).toMatchObject({ value: [{ address: 'ada@example.org', name: '' }] });
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(parsed.messageId).toMatch(/^<alert-proposal\.\d+\.\d+@example\.org>$/);
    // One link, in both parts; no word typed into the form (the search shows on the page the link opens).
    expect(new Set(links).size).toBe(1);
    const link = links[0]!;
    expect(link).toMatch(
      new RegExp(`^${baseUrl.replace(/\./g, '\\.')}/preferences\\?token=[a-z0-9]+\\.0\\.[A-Za-z0-9_-]{24}&add=[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{24}$`),
    );
    expect([...(parsed.html as string).matchAll(/href="([^"]+)"/g)].map((match) => htmlText(match[1]!))).toEqual([link, link]);
    for (const part of [raw, parsed.text!, parsed.html as string]) expect(part).not.toMatch(/Mixture|Experts/i);
    for (const line of parsed.text!.split(/\r?\n/)) if (line !== link) expect(line.length).toBeLessThanOrEqual(78);
    expect(await world.subscribers.findByEmail('ada@example.org')).toMatchObject({ status: 'active', preferences: { topics: ['vision'], alerts: ['agent'] } });

    // GET shows the search as proposed, changes nothing.
    const shown = await get(onServer(link));
    expect(shown.status).toBe(200);
    expect(shown.body).toContain('proposed as an alert: “Mixture of Experts”. Nothing changes until you press Save.');
    expect(shown.body).toContain('<input type="radio" name="proposal" value="add" checked> Yes, add it');
    expect(await preferencesOf('ada@example.org')).toEqual({ topics: ['vision'], alerts: ['agent'] });

    // The form as shown, submitted: the search joins the reader's alerts, in its own case.
    const saved = await post('/preferences', formOf(shown.body));
    expect(saved.status).toBe(200);
    expect(saved.body).toContain('<h1>Saved</h1>');
    expect(await preferencesOf('ada@example.org')).toEqual({ topics: ['vision'], alerts: ['agent', 'Mixture of Experts'] });
    const again = await get(onServer(link));
    expect(again.body).toContain('“Mixture of Experts” is already among your alerts.');
    expect(again.body).not.toContain('name="proposal"');

    // The new address got the confirmation link, the bounced one nothing.
    expect((await mailTo('newcomer@example.org')).links[0]).toMatch(/\/confirm\?token=[^&]+$/);
    expect(sink.received.filter((mail) => mail.to.includes('bounced.one@example.org'))).toEqual([]);
  });

  it('leaves a reader who already has 5 alerts to replace one or not add it', async () => {
    const five = ['agent', 'diffusion', 'protein folding', 'RAG', 'robots'];
    await reader({ email: 'full@example.org' }, { topics: [], frequency: 'alerts', alerts: five });
    await askForSearch('full@example.org', 'Speech Recognition');
    const path = onServer((await mailTo('full@example.org')).links[0]!);
    const shown = (await get(path)).body;
    expect(shown).toContain('You already have 5 alerts; a reader keeps at most 5.');
    expect(shown).toContain('<legend>Add “Speech Recognition” in place of</legend>');
    for (const alert of five) expect(shown).toContain(`<input type="radio" name="proposal" value="replace:${alert}"> “${alert}”`);
    expect(shown).toContain('<input type="radio" name="proposal" value="skip" checked> None: leave my alerts as they are');

    // As shown (nothing chosen): the alerts stay as they are.
    expect((await post('/preferences', formOf(shown))).status).toBe(200);
    expect((await preferencesOf('full@example.org')).alerts).toEqual(five);
    // Added on top of five: refused with the reason, nothing saved, the choice still there.
    const tooMany = await post('/preferences', { ...formOf(shown), proposal: 'add' });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toContain('6 alerts given; a reader keeps at most 5. Drop some and try again.');
    expect(tooMany.body).toContain('<legend>Add “Speech Recognition” in place of</legend>');
    expect((await preferencesOf('full@example.org')).alerts).toEqual(five);
    // In place of one.
    expect((await post('/preferences', { ...formOf(shown), proposal: 'replace:RAG' })).status).toBe(200);
    expect((await preferencesOf('full@example.org')).alerts).toEqual(['agent', 'diffusion', 'protein folding', 'robots', 'Speech Recognition']);
  });

  it('checks a proposed search as any alert when the form is saved, and keeps the case it was typed in', async () => {
    const id = await reader({ email: 'checks@example.org' }, { topics: [] });
    const token = new TokenSigner(webSecret).sign({ subscriberId: id, purpose: 'preferences' });
    const form = { token, lists: 'default', frequency: 'daily', alerts: '', proposal: 'add' };
    for (const [proposed, reason] of [
      ['x'.repeat(101), 'is longer than 100 characters; shorten it.'],
      ['the', 'has no word to search for (only stop words)'],
      ['line\u0007break', 'type the search in plain words.'],
    ] as const) {
      const refused = await post('/preferences', { ...form, proposed });
      expect(refused.status, proposed).toBe(400);
      expect(refused.body).toContain(reason);
    }
    expect(await preferencesOf('checks@example.org')).toEqual({ topics: [] });
    expect((await post('/preferences', { ...form, proposed: '  GraphRAG   Agents ' })).status).toBe(200);
    expect(await preferencesOf('checks@example.org')).toEqual({ topics: [], alerts: ['GraphRAG Agents'] });
  });

  it('refuses a forged or altered token or search, or one made for another reader, with a clear page', async () => {
    const id = await reader({ email: 'careful@example.org' }, { topics: [] });
    const other = await reader({ email: 'other@example.org' }, { topics: [] });
    await askForSearch('careful@example.org', 'Long Context');
    const path = onServer((await mailTo('careful@example.org')).links[0]!);
    const url = new URL(path, server);
    const token = url.searchParams.get('token')!;
    const [payload, mac] = url.searchParams.get('add')!.split('.') as [string, string];
    const otherSearch = Buffer.from(JSON.stringify(['Crypto Giveaway'])).toString('base64url');
    const signer = new TokenSigner(webSecret);
    const refused = [
      `/preferences?token=${token}&add=${otherSearch}.${mac}`,
      `/preferences?token=${token}&add=${payload}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`,
      `/preferences?token=${token}&add=${payload}`,
      `/preferences?token=${signer.sign({ subscriberId: other, purpose: 'preferences' })}&add=${payload}.${mac}`,
      `/preferences?token=${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}&add=${payload}.${mac}`,
      `/confirm?token=${signer.sign({ subscriberId: id, purpose: 'confirm', expiresAt: Date.now() / 1000 + 3600 })}&add=${otherSearch}.${mac}`,
    ];
    for (const each of refused) {
      const response = await get(each);
      expect(response.status, each).toBe(400);
      expect(response.body).toContain('<h1>This link is not valid</h1>');
      expect(response.body).not.toContain('Crypto');
    }
    // Posting an altered search to confirm is refused too, and changes nothing.
    const confirm = signer.sign({ subscriberId: id, purpose: 'confirm', expiresAt: Date.now() / 1000 + 3600 });
    expect((await post('/confirm', { token: confirm, add: `${otherSearch}.${mac}` })).status).toBe(400);
    expect(await preferencesOf('careful@example.org')).toEqual({ topics: [] });
    expect((await get(path)).status).toBe(200);
  });

  it('mails a pending reader the confirmation link, which adds the search when they confirm', async () => {
    await reader({ email: 'waiting@example.org', status: 'pending' });
    await askForSearch('waiting@example.org', 'Video Generation');
    const { raw, links } = await mailTo('waiting@example.org');
    expect(links).toHaveLength(1);
    expect(links[0]).toMatch(/\/confirm\?token=[^&]+&add=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{24}$/);
    expect(raw).not.toMatch(/Video|Generation/i);
    // Not recorded by the form: by the link, when the owner of the address uses it.
    expect(await world.subscribers.findByEmail('waiting@example.org')).toMatchObject({ status: 'pending', preferences: { topics: [] } });
    const page = await get(onServer(links[0]!));
    expect(page.body).toContain('It adds “Video Generation” to your alerts.');
    expect((await world.subscribers.findByEmail('waiting@example.org'))!.status).toBe('pending');
    expect((await post('/confirm', formOf(page.body))).status).toBe(200);
    expect(await world.subscribers.findByEmail('waiting@example.org')).toMatchObject({
      status: 'active',
      preferences: { topics: [], alerts: ['Video Generation'] },
    });
  });

  it('mails nothing to a reader who has the search already, and only the way back to one who unsubscribed', async () => {
    await reader({ email: 'has.it@example.org' }, { topics: [], alerts: ['mixture of experts'] });
    const left = await reader({ email: 'left@example.org' });
    await world.subscribers.unsubscribe(left);
    const reference = await askForSearch('someone.new@example.org', 'Mixture of Experts');
    expect(await askForSearch('has.it@example.org', 'Mixture of Experts')).toEqual(reference);
    expect(await askForSearch('left@example.org', 'Mixture of Experts')).toEqual(reference);
    const back = await mailTo('left@example.org');
    expect(back.links).toHaveLength(1);
    expect(back.links[0]).toMatch(/\/resubscribe\?token=[^&]+$/);
    await mailTo('someone.new@example.org');
    await app.background.idle();
    expect(sink.received.filter((mail) => mail.to.includes('has.it@example.org'))).toEqual([]);
    expect(await world.subscribers.findByEmail('left@example.org')).toMatchObject({ status: 'unsubscribed', preferences: { topics: [] } });
  });
});
