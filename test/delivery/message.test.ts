import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMessage, createTransport, messageContext, type SendSummary, type Transport } from '../../src/delivery/index.js';
import type { Edition } from '../../src/editions/index.js';
import { buildRawMessage, formatAddress } from '../../src/mail/index.js';
import { compileSources, editionView, gmailClipBytes, mailSources } from '../../src/render/index.js';
import { storeId } from '../../src/stores/sqlite/index.js';
import { loadSecret, MessageIdTokens, TokenSigner } from '../../src/subscribers/index.js';
import { addPeople, type DeliveryWorld, ledgerRows, openWorld, sampleEdition, sendWith } from '../helpers/delivery.js';
import { tempDir } from '../helpers/files.js';
import { type ReceivedMail, type Sink, startSink } from '../helpers/smtp-sink.js';

const day = '2026-03-02';
const tmp = tempDir('paperboy-message-');
let sink: Sink;
let world: DeliveryWorld;
let transport: Transport;
let edition: Edition;
let summary: SendSummary;
let ids: Record<'ada' | 'zoe' | 'max' | 'pat' | 'una', number>;
let sendStarted: number;
let sendEnded: number;

beforeAll(async () => {
  sink = await startSink();
  world = openWorld(tmp.path, {
    transport: sink.url,
    'newsletter.from': 'Paperboy <news@example.org>',
    'newsletter.replyTo': 'editors@example.org',
    'newsletter.baseUrl': 'https://news.example.org',
    'newsletter.unsubscribeMailto': 'unsubscribe@example.org',
    'delivery.concurrency': 2,
  });
  const [ada, zoe, max, pat, una] = await addPeople(world, [
    { email: 'ada@example.com', name: 'Ada Lovelace' },
    { email: 'zoe@example.com', name: 'Zoë Ångström' },
    { email: 'max@example.com' },
    { email: 'pat@example.com', name: 'Pat Pending', status: 'pending' },
    { email: 'una@example.com', name: 'Una Gone', status: 'unsubscribed' },
  ]);
  ids = { ada: ada!, zoe: zoe!, max: max!, pat: pat!, una: una! };
  await world.subscribers.setPreferences(ids.max, { topics: [], maxPapers: 3 });
  edition = await sampleEdition(world, day);
  transport = await createTransport(world.config.transport, { maxConnections: 2, rateLimit: 0, tlsRejectUnauthorized: false, env: {} });
  sendStarted = Date.now();
  summary = await sendWith(world, edition, transport);
  sendEnded = Date.now();
});

afterAll(async () => {
  await transport?.close?.();
  await sink?.close();
  world?.close();
  tmp.remove();
});

function receivedBy(email: string): ReceivedMail {
  const mails = sink.received.filter((mail) => mail.to.includes(email));
  expect(mails).toHaveLength(1);
  return mails[0]!;
}

const parsed = new Map<string, ParsedMail>();
async function parsedFor(email: string): Promise<ParsedMail> {
  if (!parsed.has(email)) parsed.set(email, await simpleParser(receivedBy(email).raw));
  return parsed.get(email)!;
}

/** The header block of a raw message, unfolded, as name → values. */
function rawHeaders(raw: Buffer): Map<string, string[]> {
  const block = raw
    .toString('latin1')
    .split('\r\n\r\n')[0]!
    .replace(/\r\n[ \t]/g, ' ');
  const headers = new Map<string, string[]>();
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  return headers;
}

const rawHeader = (email: string, name: string): string[] => rawHeaders(receivedBy(email).raw).get(name.toLowerCase()) ?? [];
const firstAddress = (field: AddressObject | AddressObject[] | undefined) => (Array.isArray(field) ? field[0] : field)?.value[0];
/** The href values of an HTML document, with character references decoded (Handlebars writes = as &#x3D;). */
const hrefs = (html: string) =>
  [...html.matchAll(/href="([^"]*)"/g)].map((match) =>
    match[1]!.replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16))).replace(/&amp;/g, '&'),
  );
/** Paper cards: each has its title as a level-2 heading. */
const paperLinks = (html: string) => html.match(/<h2 /g)?.length ?? 0;

/** Checks a raw message's shape: CRLF only, every line within 998 octets, 7-bit headers; base64 lines within 76. */
function expectWellFormed(raw: Buffer, encoding: '8bit' | 'base64' | 'mixed' = '8bit'): void {
  const text = raw.toString('latin1'); // one character per octet, so lengths below are octets
  expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  for (const line of text.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
  const [head, ...body] = text.split('\r\n\r\n');
  expect(head).toMatch(/^[\x20-\x7e\r\n\t]*$/); // 7-bit headers: anything else is encoded
  const encodings = [...text.matchAll(/Content-Transfer-Encoding: (\S+)/g)].map((match) => match[1]);
  expect(encodings).toEqual(encoding === 'mixed' ? ['8bit', 'base64'] : [encoding, encoding]);
  if (encoding !== '8bit') {
    const base64Lines = body
      .join('\r\n\r\n')
      .split('\r\n')
      .filter((line) => /^[A-Za-z0-9+/]+=*$/.test(line));
    expect(base64Lines.length).toBeGreaterThan(10);
    for (const line of base64Lines) expect(line.length).toBeLessThanOrEqual(76);
  }
}

describe('a send through a real SMTP server', () => {
  it('reaches every active subscriber once, and nobody pending or unsubscribed', () => {
    expect(sink.received.map((mail) => mail.to).sort()).toEqual([['ada@example.com'], ['max@example.com'], ['zoe@example.com']]);
    for (const mail of sink.received) expect(mail.from).toBe('news@example.org');
    expect(summary).toMatchObject({ queued: 3, sent: 3, failed: 0, skipped: 0, complete: true, interrupted: false });
    expect(ledgerRows(world.db, edition.id).map((row) => [row.subscriberId, row.status])).toEqual([
      [ids.ada, 'sent'],
      [ids.zoe, 'sent'],
      [ids.max, 'sent'],
    ]);
    expect(sink.attempts.has('pat@example.com')).toBe(false);
    expect(sink.attempts.has('una@example.com')).toBe(false);
  });

  it('has From and Reply-To from the config, and the recipient in To', async () => {
    const mail = await parsedFor('ada@example.com');
    expect(firstAddress(mail.from)).toEqual({ address: 'news@example.org', name: 'Paperboy' });
    expect(firstAddress(mail.replyTo)).toEqual({ address: 'editors@example.org', name: '' });
    expect(firstAddress(mail.to)).toEqual({ address: 'ada@example.com', name: 'Ada Lovelace' });
    expect(firstAddress((await parsedFor('max@example.com')).to)).toEqual({ address: 'max@example.com', name: '' });
  });

  it('keeps a non-ASCII name in To, encoded in the raw header', async () => {
    const mail = await parsedFor('zoe@example.com');
    expect(firstAddress(mail.to)).toEqual({ address: 'zoe@example.com', name: 'Zoë Ångström' });
    const [to] = rawHeader('zoe@example.com', 'To');
    expect(to).toMatch(/^=\?UTF-8\?Q\?.+\?= <zoe@example\.com>$/i);
  });

  it("has the subject, a date from the send, and the ledger's Message-ID with its MAC filled in", async () => {
    const first = edition.papers[0]!;
    for (const [email, more] of [
      ['ada@example.com', edition.papers.length - 1],
      ['max@example.com', 2],
    ] as const) {
      const mail = await parsedFor(email);
      expect(mail.subject).toBe(`${first.title} + ${more} more · 2 Mar 2026`);
      expect(mail.date!.getTime()).toBeGreaterThanOrEqual(Math.floor(sendStarted / 1000) * 1000);
      expect(mail.date!.getTime()).toBeLessThanOrEqual(sendEnded);
    }
    const rows = ledgerRows(world.db, edition.id);
    for (const [email, id] of [
      ['ada@example.com', ids.ada],
      ['zoe@example.com', ids.zoe],
      ['max@example.com', ids.max],
    ] as const) {
      const frozen = `<${day}.${edition.id}.${id}.${storeId(world.db)}.{mac}@example.org>`;
      expect(rows.find((row) => row.subscriberId === id)!.messageId).toBe(frozen);
      const messageId = (await parsedFor(email)).messageId!;
      expect(messageId).toMatch(new RegExp(`^<${day}\\.${edition.id}\\.${id}\\.${storeId(world.db)}\\.[0-9a-f]{20}@example\\.org>$`));
      expect(messageId).toBe(new MessageIdTokens(world.signer).seal(frozen));
      expect(new MessageIdTokens(world.signer).read(messageId)).toMatchObject({ editionId: edition.id, subscriberId: id, proof: 'genuine' });
    }
  });

  it('carries List-Id, List-Unsubscribe (https and mailto) and one-click List-Unsubscribe-Post', () => {
    expect(rawHeader('ada@example.com', 'List-Id')).toEqual(['"Paperboy Daily Papers" <default.example.org>']);
    const [unsubscribe] = rawHeader('ada@example.com', 'List-Unsubscribe');
    expect(unsubscribe).toMatch(/^<https:\/\/news\.example\.org\/unsubscribe\?token=[^>\s]+>, <mailto:unsubscribe@example\.org\?subject=unsubscribe>$/);
    expect(rawHeader('ada@example.com', 'List-Unsubscribe-Post')).toEqual(['List-Unsubscribe=One-Click']);
  });

  it('signs each unsubscribe link for its own subscriber with the data directory secret', () => {
    const signer = new TokenSigner(loadSecret(world.dataDir, {}));
    for (const [email, id] of [
      ['ada@example.com', ids.ada],
      ['zoe@example.com', ids.zoe],
      ['max@example.com', ids.max],
    ] as const) {
      const [header] = rawHeader(email, 'List-Unsubscribe');
      const token = decodeURIComponent(/unsubscribe\?token=([^>]+)>/.exec(header!)![1]!);
      expect(signer.verify(token, 'unsubscribe')).toEqual({ subscriberId: id, expired: false });
      expect(signer.verify(token, 'preferences')).toBeUndefined();
      expect(new TokenSigner('another-secret-of-enough-length').verify(token, 'unsubscribe')).toBeUndefined();
    }
  });

  it('is multipart/alternative with the text part first, and the same links in the HTML', async () => {
    const mail = await parsedFor('ada@example.com');
    expect(mail.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    const raw = receivedBy('ada@example.com').raw.toString('latin1');
    const textAt = raw.indexOf('Content-Type: text/plain; charset=utf-8');
    const htmlAt = raw.indexOf('Content-Type: text/html; charset=utf-8');
    expect(textAt).toBeGreaterThan(0);
    expect(htmlAt).toBeGreaterThan(textAt);
    expect(mail.text).toContain(edition.papers[0]!.title);
    const [header] = rawHeader('ada@example.com', 'List-Unsubscribe');
    const link = /<(https:[^>]+)>/.exec(header!)![1]!;
    expect(hrefs(mail.html as string)).toContain(link);
  });

  it('keeps the HTML under the 102 KB Gmail clips at', async () => {
    for (const email of ['ada@example.com', 'zoe@example.com', 'max@example.com']) {
      const html = (await parsedFor(email)).html as string;
      expect(Buffer.byteLength(html)).toBeGreaterThan(5_000);
      expect(Buffer.byteLength(html)).toBeLessThan(102 * 1024);
    }
    expect(gmailClipBytes).toBe(102 * 1024);
  });

  it('gives the maxPapers subscriber exactly 3 papers and the others the whole edition', async () => {
    expect(edition.papers).toHaveLength(10);
    const max = await parsedFor('max@example.com');
    expect(paperLinks(max.html as string)).toBe(3);
    expect(max.text!.match(/Paper page:/g)).toHaveLength(3);
    expect(max.html).toContain(edition.papers[2]!.id);
    expect(max.html).not.toContain(`papers/${edition.papers[3]!.id}`);
    expect(paperLinks((await parsedFor('ada@example.com')).html as string)).toBe(10);
    expect(paperLinks((await parsedFor('zoe@example.com')).html as string)).toBe(10);
  });

  it('arrives well formed: CRLF only, lines within 998 octets, 8bit bodies', () => {
    for (const mail of sink.received) expectWellFormed(mail.raw);
  });

  it('keeps every header line within 78 characters, but for one word that cannot be broken (the unsubscribe link)', () => {
    for (const mail of sink.received) {
      const lines = mail.raw.toString('latin1').split('\r\n\r\n')[0]!.split('\r\n');
      for (const line of lines.filter((each) => each.length > 78)) expect(line.replace(/^[\w-]+: /, '').trim()).not.toContain(' ');
      expect(lines.filter((line) => line.length > 78).length).toBeLessThanOrEqual(1);
    }
  });

  it('stays within 998 octets a line for a reader whose longest name HTML-escapes to six bytes a character', () => {
    const view = editionView({ day: edition.day, papers: edition.papers, newsletter: world.config.newsletter });
    const context = messageContext(world.config, edition, view, compileSources(mailSources(edition.templates)), world.signer);
    const delivery = {
      subscriberId: 1,
      email: 'ada@example.com',
      name: '&'.repeat(200),
      preferences: { topics: [] },
      messageId: '<x@example.org>',
      attempts: 0,
    };
    const raw = buildMessage(context, delivery, new Date()).raw;
    for (const line of raw.toString('latin1').split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
  });
});

describe('buildRawMessage', () => {
  const base = {
    from: '"Paperboy" <news@example.org>',
    to: 'reader@example.com',
    text: 'Plain text line\n'.repeat(200),
    html: `<p>${'Ünïcödé paragraph with a long run of words. '.repeat(400)}</p>`,
    messageId: '<2026-03-02.1.1@example.org>',
    date: new Date('2026-03-02T07:00:00Z'),
  };

  it('stays well formed with a long non-ASCII subject and name', async () => {
    const raw = buildRawMessage({
      ...base,
      to: formatAddress('zoe@example.com', 'Zoë Ångström-Øresund '.repeat(20).trim()),
      subject: `Paperboy · ${'Ünïcödé title with many words '.repeat(40)}`,
      headers: { 'List-Id': '"Paperboy" <default.example.org>' },
    });
    expectWellFormed(raw, 'mixed'); // the HTML is one 19,000-character line: too long for 8bit, so base64
    const mail = await simpleParser(raw);
    expect(mail.subject).toBe(`Paperboy · ${'Ünïcödé title with many words '.repeat(40)}`.trim());
    expect(firstAddress(mail.to)).toEqual({ address: 'zoe@example.com', name: 'Zoë Ångström-Øresund '.repeat(20).trim() });
    expect(mail.html).toBe(base.html);
    expect(mail.text).toBe(base.text);
  });

  it('folds a long ASCII subject instead of writing a line over 998 characters', async () => {
    const subject = `${Array.from({ length: 120 }, (_, index) => `word${index}`).join(' ')} ${'plain ascii words '.repeat(40).trim()}`;
    expect(subject.length).toBeGreaterThan(998);
    const raw = buildRawMessage({ ...base, subject });
    expectWellFormed(raw, 'mixed');
    expect((await simpleParser(raw)).subject).toBe(subject);
  });

  it('folds every header line within 78 characters but an unbreakable word, never inside an encoded-word, and mailparser reads the values back unchanged', async () => {
    const subject = `${'Ünïcödé title with many words, '.repeat(4)}and a plain ASCII tail of words that goes on well past the line · 21 Aug 2026`;
    const name = 'Zoë Ångström-Øresund, '.repeat(4).trim();
    const unsubscribe = `https://news.example.org/unsubscribe?token=${'a1B2c3D4'.repeat(12)}`;
    const headers = {
      'List-Id': '"Paperboy Daily Papers, the long-named edition for many readers" <default.example.org>',
      'List-Unsubscribe': `<${unsubscribe}>, <mailto:unsubscribe@example.org?subject=unsubscribe>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    };
    const raw = buildRawMessage({ ...base, subject, to: formatAddress('zoe@example.com', name), headers });
    const head = raw.toString('latin1').split('\r\n\r\n')[0]!;
    const long = head.split('\r\n').filter((line) => line.length > 78);
    // Only the unsubscribe link, a single word RFC 5322 cannot break, may be longer; it stays beside its header's name.
    expect(long).toEqual([`List-Unsubscribe: <${unsubscribe}>,`]);
    expect(head).toMatch(/\r\n <mailto:unsubscribe@example\.org\?subject=unsubscribe>\r\n/); // folded between its <…> items
    for (const line of head.split('\r\n').filter((each) => each.includes('=?'))) {
      expect(line.length).toBeLessThanOrEqual(76); // RFC 2047's limit for a line with an encoded-word
      expect(line).toMatch(/^(?:[\w-]+:)?(?: [^ ]+)*$/);
      for (const word of line.split(' ').filter((each) => each.includes('=?'))) expect(word).toMatch(/^"?=\?UTF-8\?Q\?[^?\s]+\?="?$/i); // whole words only
    }
    expect(head.match(/^Subject:/gm)).toHaveLength(1);
    expect(head.split('\r\n').filter((line) => line.startsWith('Subject:') || /^ /.test(line)).length).toBeGreaterThan(3);
    const mail = await simpleParser(raw);
    expect(mail.subject).toBe(subject);
    expect(firstAddress(mail.to)).toEqual({ address: 'zoe@example.com', name });
    expect(mail.headers.get('list')).toEqual({
      id: { name: 'Paperboy Daily Papers, the long-named edition for many readers', id: 'default.example.org' },
      unsubscribe: { url: unsubscribe, mail: 'unsubscribe@example.org?subject=unsubscribe' },
      'unsubscribe-post': { name: 'List-Unsubscribe=One-Click' },
    });
    // Unfolded (each CRLF taken out, RFC 5322 2.2.3), every list header is exactly the value given.
    const unfolded = new Map(mail.headerLines.map(({ key, line }) => [key, line.replace(/\r\n/g, '')]));
    for (const [key, value] of Object.entries(headers)) expect(unfolded.get(key.toLowerCase())).toBe(`${key}: ${value}`);
  });

  it('writes base64 bodies (lines within 76) when asked, and they decode to the same parts', async () => {
    const raw = buildRawMessage({ ...base, subject: 'Base64' }, 'base64');
    expectWellFormed(raw, 'base64');
    const mail = await simpleParser(raw);
    expect(mail.html).toBe(base.html);
    expect(mail.text).toBe(base.text);
  });

  it('writes the same bytes for the same message (boundary from the Message-ID)', () => {
    const message = { ...base, subject: 'Same' };
    expect(buildRawMessage(message).equals(buildRawMessage(message))).toBe(true);
    expect(buildRawMessage({ ...message, messageId: '<other@example.org>' }).equals(buildRawMessage(message))).toBe(false);
  });
});
