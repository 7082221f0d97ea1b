import { readFileSync, readdirSync, writeFileSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  classifyFailure,
  createTransport,
  type OutgoingMessage,
  type SmtpOptions,
  type Transport,
} from '../../src/delivery/index.js';
import { jsonTransport } from '../../src/delivery/transports/json.js';
import { PaperboyError } from '../../src/errors.js';
import { buildRawMessage } from '../../src/mail/index.js';
import { tempDir } from '../helpers/cli.js';
import { startSink, type Sink } from '../helpers/smtp-sink.js';
import { collector } from '../helpers/streams.js';

const tmp = tempDir('paperboy-transports-');
afterAll(() => tmp.remove());

const smtpOptions: SmtpOptions = { maxConnections: 1, rateLimit: 0, tlsRejectUnauthorized: false, env: {} };

let open: Transport[] = [];
let sinks: Sink[] = [];
afterEach(async () => {
  for (const transport of open) await transport.close?.();
  for (const sink of sinks) await sink.close();
  open = [];
  sinks = [];
});

async function transportFor(spec: string, options: SmtpOptions = smtpOptions): Promise<Transport> {
  const transport = await createTransport(spec, options);
  open.push(transport);
  return transport;
}

/** A complete message for subscriber `subscriberId` of the 2026-03-02 edition of `list`. */
function message(subscriberId: number, list = 'default', text = `Hello reader ${subscriberId}`): OutgoingMessage {
  const parts = {
    from: '"Paperboy" <news@example.org>',
    to: `reader${subscriberId}@example.com`,
    subject: 'Paperboy · 2 Mar 2026: Some paper',
    text,
    html: `<p>${text}</p>`,
    messageId: `<2026-03-02.7.${subscriberId}@example.org>`,
    date: new Date('2026-03-02T07:00:00Z'),
    headers: { 'List-Id': '"Paperboy" <default.example.org>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
  return {
    ...parts,
    raw: buildRawMessage(parts),
    envelope: { from: 'news@example.org', to: parts.to },
    edition: { id: 7, day: '2026-03-02', list },
    subscriberId,
  };
}

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

async function configError(promise: Promise<unknown>): Promise<PaperboyError> {
  const error = await promise.then(() => undefined, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(PaperboyError);
  expect((error as PaperboyError).code).toBe('CONFIG');
  return error as PaperboyError;
}

describe('outbox:DIR', () => {
  it('writes one .eml per message at DIR/<day>-<list>/<subscriberId>.eml, with the raw message as its content', async () => {
    const dir = join(tmp.path, 'outbox-1');
    const transport = await transportFor(`outbox:${dir}`);
    expect(transport.name).toBe(`outbox:${dir}`);
    const messages = [message(1), message(2), message(3, 'weekly')];
    for (const each of messages) {
      const result = await transport.send(each);
      expect(result.response).toContain(join(dir, `${each.edition.day}-${each.edition.list}`, `${each.subscriberId}.eml`));
    }
    expect(filesUnder(dir)).toEqual(['2026-03-02-default/1.eml', '2026-03-02-default/2.eml', '2026-03-02-weekly/3.eml']);
    expect(readFileSync(join(dir, '2026-03-02-default', '2.eml'))).toEqual(messages[1]!.raw);
  });

  it('leaves no temporary files, and sending the same message again leaves one file with the latest content', async () => {
    const dir = join(tmp.path, 'outbox-2');
    const transport = await transportFor(`outbox:${dir}`);
    await transport.send(message(5, 'default', 'first try'));
    await transport.send(message(5, 'default', 'second try'));
    expect(filesUnder(dir)).toEqual(['2026-03-02-default/5.eml']);
    const stored = readFileSync(join(dir, '2026-03-02-default', '5.eml'));
    expect(stored).toEqual(message(5, 'default', 'second try').raw);
    expect(filesUnder(dir).some((name) => name.endsWith('.tmp'))).toBe(false);
  });

  it('needs a folder', async () => {
    const error = await configError(createTransport('outbox:', smtpOptions));
    expect(error.message).toContain('outbox:./outbox');
  });
});

describe('json:', () => {
  it('writes one JSON line per message with its Message-ID, envelope, subject and headers', async () => {
    const out = collector();
    const transport = jsonTransport(out.stream);
    expect(transport.name).toBe('json:');
    const first = message(1);
    const second = message(2, 'weekly');
    expect(await transport.send(first)).toEqual({ response: 'written' });
    await transport.send(second);
    const text = out.text();
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      messageId: '<2026-03-02.7.1@example.org>',
      envelope: { from: 'news@example.org', to: 'reader1@example.com' },
      subject: 'Paperboy · 2 Mar 2026: Some paper',
      headers: { 'List-Id': '"Paperboy" <default.example.org>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      edition: { id: 7, day: '2026-03-02', list: 'default' },
      subscriberId: 1,
      date: '2026-03-02T07:00:00.000Z',
      text: 'Hello reader 1',
      htmlBytes: Buffer.byteLength(first.html),
    });
    expect(lines[1]).toMatchObject({ messageId: '<2026-03-02.7.2@example.org>', subscriberId: 2, edition: { list: 'weekly' } });
  });

  it('is what createTransport gives for "json:"', async () => {
    expect((await transportFor('json:')).name).toBe('json:');
  });
});

describe('module:PATH', () => {
  it('loads a module whose default export is a transport object', async () => {
    const file = join(tmp.path, 'object-transport.mjs');
    writeFileSync(file, `export default {\n  async send(message) { return { response: 'kept ' + message.messageId + ' for ' + message.envelope.to }; },\n};\n`);
    const transport = await transportFor(`module:${file}`);
    expect(transport.name).toBe(`module:${file}`);
    expect(await transport.send(message(4))).toEqual({ response: 'kept <2026-03-02.7.4@example.org> for reader4@example.com' });
    expect(transport.close).toBeUndefined();
  });

  it('calls a default-exported factory with the URL and environment, and passes close through', async () => {
    const file = join(tmp.path, 'factory-transport.mjs');
    writeFileSync(
      file,
      `let closed = 0;\n` +
        `export default async function ({ url, env }) {\n` +
        `  return {\n` +
        `    async send(message) { return { response: [url, env.TRANSPORT_TOKEN, message.subscriberId, closed].join(' ') }; },\n` +
        `    async close() { closed++; },\n` +
        `  };\n` +
        `}\n`,
    );
    const spec = `module:${file}`;
    const transport = await createTransport(spec, { ...smtpOptions, env: { TRANSPORT_TOKEN: 'tok-123' } });
    expect(await transport.send(message(9))).toEqual({ response: `${spec} tok-123 9 0` });
    await transport.close!();
    expect(await transport.send(message(9))).toEqual({ response: `${spec} tok-123 9 1` });
  });

  it('refuses a module whose export has no send', async () => {
    const file = join(tmp.path, 'no-send.mjs');
    writeFileSync(file, 'export default { deliver() {} };\n');
    const error = await configError(createTransport(`module:${file}`, smtpOptions));
    expect(error.message).toContain(file);
    expect(error.message).toContain('must export default a transport');
  });

  it('refuses a factory that returns no transport, and a module that does not exist', async () => {
    const file = join(tmp.path, 'empty-factory.mjs');
    writeFileSync(file, 'export default () => undefined;\n');
    expect((await configError(createTransport(`module:${file}`, smtpOptions))).message).toContain('must export default a transport');
    const missing = join(tmp.path, 'missing.mjs');
    expect((await configError(createTransport(`module:${missing}`, smtpOptions))).message).toContain(`Cannot load the transport module ${missing}`);
  });
});

describe('unknown and SMTP transport URLs', () => {
  it('names the valid schemes for a misspelt one, without the password', async () => {
    const error = await configError(createTransport('smpt://mailer:hunter2secret@mail.example.org:587', smtpOptions));
    expect(error.message).toContain('smtp://, smtps://, outbox:, json: or module:');
    expect(error.message).toContain('"smpt://***@mail.example.org:587"');
    expect(error.message).not.toContain('hunter2secret');
  });

  it('keeps a password with a slash in it out of the message too', async () => {
    const error = await configError(createTransport('smpt://AKIAEXAMPLE:Ab3/x9+Kq7secret@email-smtp.example.org:587', smtpOptions));
    expect(error.message).toContain('Unknown transport');
    expect(error.message).not.toContain('Kq7secret');
  });

  it('gives an SMTP transport a name with the password redacted', async () => {
    const transport = await transportFor('smtp://mailer:hunter2secret@mail.example.org:2525');
    expect(transport.name).toBe('smtp://mailer:***@mail.example.org:2525');
    const secure = await transportFor('smtps://mailer:p%40ss@mail.example.org');
    expect(secure.name).toBe('smtps://mailer:***@mail.example.org');
  });

  it('refuses an SMTP URL without a host', async () => {
    expect((await configError(createTransport('smtp://', smtpOptions))).message).toMatch(/smtp:\/\/user:pass@host:587/);
  });
});

describe('classifyFailure', () => {
  it.each([
    ['a 550 for RCPT TO', 'bounce', { responseCode: 550, command: 'RCPT TO', response: '550 5.1.1 No such user' }],
    ['a 554 at DATA', 'reject', { responseCode: 554, command: 'DATA', response: '554 5.7.1 Message rejected as spam' }],
    ['a relay refusing everyone at RCPT TO (policy, not the mailbox)', 'reject', { responseCode: 554, command: 'RCPT TO', response: '554 5.7.1 <a@example.org>: Relay access denied' }],
    ['a disabled mailbox', 'bounce', { responseCode: 550, command: 'RCPT TO', response: '550 5.2.1 Mailbox disabled' }],
    ['a full mailbox (5.2.2: not a dead address)', 'reject', { responseCode: 552, command: 'RCPT TO', response: '552 5.2.2 Mailbox full' }],
    ['a 550 with no enhanced code at RCPT TO', 'bounce', { responseCode: 550, command: 'RCPT TO', response: '550 No such user here' }],
    ["a transport module's 5xx without a command", 'reject', { responseCode: 550, response: '550 refused' }],
    ['a 451 for RCPT TO', 'transient', { responseCode: 451, command: 'RCPT TO', response: '451 4.7.1 Try again later' }],
    ['a 421 at connect', 'transient', { responseCode: 421, command: 'CONN', response: '421 Too busy' }],
    ['a reset connection (no response code)', 'transient', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['a greeting timeout', 'transient', Object.assign(new Error('Greeting never received'), { code: 'ETIMEDOUT' })],
    ['an authentication failure', 'fatal', Object.assign(new Error('Invalid login'), { code: 'EAUTH' })],
    ['a 535 for AUTH PLAIN', 'fatal', { code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN', response: '535 5.7.8 Bad credentials' }],
    ['a 530 for MAIL FROM', 'fatal', { responseCode: 530, command: 'MAIL FROM', response: '530 5.7.0 Authentication required' }],
    ['a transport error marked permanent', 'reject', Object.assign(new Error('address rejected by the API'), { permanent: true })],
  ] as const)('%s is %s', (_label, kind, error) => {
    expect(classifyFailure(error).kind).toBe(kind);
  });

  it('keeps the server response as the reason, on one line', () => {
    const failure = classifyFailure({ responseCode: 550, command: 'RCPT TO', response: '550-5.1.1 The account\r\n550 5.1.1 does not exist' });
    expect(failure).toEqual({ kind: 'bounce', reason: '550-5.1.1 The account 550 5.1.1 does not exist' });
    expect(classifyFailure(new Error('socket hang up'))).toEqual({ kind: 'transient', reason: 'socket hang up' });
  });

  it('sorts the errors nodemailer really throws against a real SMTP server', async () => {
    const sink = await startSink({
      rcpt: (address) => (address.startsWith('gone@') ? 550 : address.startsWith('busy@') ? 451 : undefined),
      dropDuring: (recipients) => recipients.includes('drop@example.com'),
    });
    sinks.push(sink);
    const transport = await transportFor(sink.url);
    const failureFor = async (to: string) => {
      const error = await transport.send({ ...message(1), envelope: { from: 'news@example.org', to } }).then(() => undefined, (thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(Error);
      return classifyFailure(error);
    };
    expect(await failureFor('gone@example.com')).toMatchObject({ kind: 'bounce', reason: expect.stringContaining('550') });
    expect(await failureFor('busy@example.com')).toMatchObject({ kind: 'transient', reason: expect.stringContaining('451') });
    expect((await failureFor('drop@example.com')).kind).toBe('transient');
    expect(await transport.send({ ...message(1), envelope: { from: 'news@example.org', to: 'fine@example.com' } })).toMatchObject({ response: expect.stringMatching(/^250/) });
    expect(sink.received.map((mail) => mail.to)).toEqual([['fine@example.com']]);
  });
});
