import { type Dirent, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { classifyFailure, createTransport, type OutgoingMessage, type SmtpOptions, type Transport, type TransportOptions } from '../../src/delivery/index.js';
import { jsonTransport } from '../../src/delivery/transports/json.js';
import { PaperboyError } from '../../src/errors.js';
import { buildRawMessage } from '../../src/mail/index.js';
import { tempDir } from '../helpers/files.js';
import { type Sink, startSink } from '../helpers/smtp-sink.js';
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

async function transportFor(spec: string, options: TransportOptions = smtpOptions): Promise<Transport> {
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
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(PaperboyError);
  expect((error as PaperboyError).code).toBe('CONFIG');
  return error as PaperboyError;
}

describe('outbox:DIR', () => {
  it('writes one .eml per message at DIR/<day>-<list>/<Message-ID>.eml, with the raw message as its content', async () => {
    const dir = join(tmp.path, 'outbox-1');
    const transport = await transportFor(`outbox:${dir}`);
    expect(transport.name).toBe(`outbox:${dir}`);
    const messages = [message(1), message(2), message(3, 'weekly')];
    for (const each of messages) {
      const result = await transport.send(each);
      expect(result.response).toContain(join(dir, `${each.edition.day}-${each.edition.list}`, `2026-03-02.7.${each.subscriberId}.eml`));
    }
    expect(filesUnder(dir)).toEqual(['2026-03-02-default/2026-03-02.7.1.eml', '2026-03-02-default/2026-03-02.7.2.eml', '2026-03-02-weekly/2026-03-02.7.3.eml']);
    expect(readFileSync(join(dir, '2026-03-02-default', '2026-03-02.7.2.eml'))).toEqual(messages[1]!.raw);
  });

  it('never overwrites the messages of another store: the store id in the Message-ID names the file', async () => {
    const dir = join(tmp.path, 'outbox-shared');
    const transport = await transportFor(`outbox:${dir}`);
    await transport.send({ ...message(1), messageId: '<2026-03-02.7.1.aaaa000001@example.org>' });
    await transport.send({ ...message(1), messageId: '<2026-03-02.7.1.bbbb000002@example.org>' });
    expect(filesUnder(dir)).toEqual(['2026-03-02-default/2026-03-02.7.1.aaaa000001.eml', '2026-03-02-default/2026-03-02.7.1.bbbb000002.eml']);
  });

  it('leaves no temporary files, and sending the same message again leaves one file with the latest content', async () => {
    const dir = join(tmp.path, 'outbox-2');
    const transport = await transportFor(`outbox:${dir}`);
    await transport.send(message(5, 'default', 'first try'));
    await transport.send(message(5, 'default', 'second try'));
    expect(filesUnder(dir)).toEqual(['2026-03-02-default/2026-03-02.7.5.eml']);
    const stored = readFileSync(join(dir, '2026-03-02-default', '2026-03-02.7.5.eml'));
    expect(stored).toEqual(message(5, 'default', 'second try').raw);
    expect(filesUnder(dir).some((name) => name.endsWith('.tmp'))).toBe(false);
  });

  it('writes a bare outbox: into the data directory, and needs a folder without one', async () => {
    const data = join(tmp.path, 'data-outbox');
    const transport = await transportFor('outbox:', { ...smtpOptions, dataDir: data });
    await transport.send(message(4));
    expect(filesUnder(join(data, 'outbox'))).toEqual(['2026-03-02-default/2026-03-02.7.4.eml']);
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
    const lines = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
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

describe('classifyFailure: who is at fault', () => {
  const refused = (command: string, responseCode: number, response: string) => ({ command, responseCode, response });
  it.each([
    // The reader's mailbox: a bounce.
    ['5.1.1 no such user at RCPT', 'bounce', refused('RCPT TO', 550, '550 5.1.1 No such user')],
    ['5.1.2 no such domain', 'bounce', refused('RCPT TO', 550, '550 5.1.2 Host unknown')],
    ['5.1.3 bad address syntax', 'bounce', refused('RCPT TO', 553, '553 5.1.3 Bad recipient address syntax')],
    ['5.1.6 mailbox moved', 'bounce', refused('RCPT TO', 551, '551 5.1.6 User has moved')],
    ['5.1.10 null MX', 'bounce', refused('RCPT TO', 556, '556 5.1.10 Recipient address has null MX')],
    ['5.2.1 mailbox disabled', 'bounce', refused('RCPT TO', 550, '550 5.2.1 Mailbox disabled')],
    ['a bare 550 at RCPT', 'bounce', refused('RCPT TO', 550, '550 No such user here')],
    ['a bare 553 at RCPT', 'bounce', refused('RCPT TO', 553, '553 Mailbox name not allowed')],
    ['5.0.0 at RCPT falls back to the reply code', 'bounce', refused('RCPT TO', 550, '550 5.0.0 User unknown')],
    // Us or the relay: the run pauses, nobody is failed.
    [
      '5.1.8 bad sender domain, reported at RCPT (Postfix)',
      'sender',
      refused('RCPT TO', 553, '553 5.1.8 <a@example.org>: Sender address rejected: Domain not found'),
    ],
    ['5.1.7 bad sender mailbox', 'sender', refused('RCPT TO', 553, '553 5.1.7 Bad sender address syntax')],
    ['5.7.1 relay access denied at RCPT', 'sender', refused('RCPT TO', 554, '554 5.7.1 <a@example.org>: Relay access denied')],
    [
      '5.7.1 content refused as spam at DATA (about us, or this recipient: by the pattern)',
      'policy',
      refused('DATA', 554, '554 5.7.1 Message rejected as spam'),
    ],
    ['5.7.26 DMARC at DATA', 'policy', refused('DATA', 550, '550 5.7.26 Unauthenticated email is not accepted due to DMARC policy')],
    ['relay access denied, whatever its code', 'sender', refused('RCPT TO', 554, '554 5.7.1 <a@example.org>: Relay access denied')],
    ['5.3.4 message too big for the system', 'sender', refused('DATA', 552, '552 5.3.4 Message size exceeds fixed limit')],
    ['5.5.2 syntax error', 'sender', refused('RCPT TO', 500, '500 5.5.2 Error: bad syntax')],
    ['a bare 554 at RCPT (a refusal of us, or of this recipient: by the pattern)', 'policy', refused('RCPT TO', 554, '554 Transaction failed')],
    ['a 530 at MAIL FROM', 'sender', refused('MAIL FROM', 530, '530 5.7.0 Authentication required')],
    ['a 553 at MAIL FROM', 'sender', refused('MAIL FROM', 553, '553 5.1.8 Sender rejected')],
    ['a 554 greeting', 'sender', refused('CONN', 554, '554 No SMTP service here')],
    ['an authentication failure', 'sender', Object.assign(new Error('Invalid login'), { code: 'EAUTH' })],
    ['a 535 for AUTH PLAIN', 'sender', { code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN', response: '535 5.7.8 Bad credentials' }],
    ["a module's EAUTH with a 535 and no command", 'sender', { code: 'EAUTH', responseCode: 535, response: '535 bad key' }],
    // This message alone.
    ['5.2.2 mailbox full (not a dead address)', 'reject', refused('RCPT TO', 552, '552 5.2.2 Mailbox full')],
    ['a bare 554 at DATA', 'reject', refused('DATA', 554, '554 Transaction failed')],
    ["a transport module's 5xx without a command", 'reject', { responseCode: 550, response: '550 refused' }],
    ['a transport error marked permanent', 'reject', Object.assign(new Error('address rejected by the API'), { permanent: true })],
    // Later.
    ['a 451 for RCPT TO', 'deferred', refused('RCPT TO', 451, '451 4.7.1 Try again later')],
    ['a 452 for RCPT TO', 'deferred', refused('RCPT TO', 452, '452 4.2.2 Mailbox full')],
    ['a reset connection mid-message', 'deferred', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNECTION', command: 'DATA' })],
    ['a 421 at connect (too many connections)', 'throttle', refused('CONN', 421, '421 4.7.0 Too many connections')],
    ['a 421 mid-session', 'throttle', refused('RCPT TO', 421, '421 4.4.2 Closing connection')],
    // Cannot reach the server.
    ['a refused connection', 'outage', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ESOCKET', command: 'CONN' })],
    ['a DNS failure', 'outage', Object.assign(new Error('getaddrinfo ENOTFOUND smtp.nowhere.invalid'), { code: 'EDNS', command: 'CONN' })],
    ['a greeting timeout', 'outage', Object.assign(new Error('Greeting never received'), { code: 'ETIMEDOUT', command: 'CONN' })],
    ['a TLS failure', 'outage', Object.assign(new Error('SSL routines:ssl3_get_record:wrong version number'), { code: 'ESOCKET', command: 'CONN' })],
    ['a 4xx at MAIL FROM', 'outage', refused('MAIL FROM', 451, '451 4.3.0 Temporary sender failure')],
  ] as const)('%s is %s', (_label, kind, error) => {
    expect(classifyFailure(error).kind).toBe(kind);
  });

  it('says what the operator can act on for connection failures', () => {
    expect(classifyFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ESOCKET', command: 'CONN' })).reason).toBe(
      'connection refused by 127.0.0.1:1',
    );
    expect(classifyFailure(Object.assign(new Error('getaddrinfo ENOTFOUND smtp.nowhere.invalid'), { code: 'EDNS', command: 'CONN' })).reason).toBe(
      'DNS lookup failed for smtp.nowhere.invalid (ENOTFOUND)',
    );
    expect(
      classifyFailure(
        Object.assign(new Error('80DC:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../ssl3_record.c:350:'), {
          code: 'ESOCKET',
          command: 'CONN',
        }),
      ).reason,
    ).toBe('TLS failed: wrong version number');
  });

  it('keeps the server response as the reason, on one line', () => {
    const failure = classifyFailure({ responseCode: 550, command: 'RCPT TO', response: '550-5.1.1 The account\r\n550 5.1.1 does not exist' });
    expect(failure).toEqual({ kind: 'bounce', reason: '550-5.1.1 The account 550 5.1.1 does not exist' });
    expect(classifyFailure(new Error('socket hang up'))).toEqual({ kind: 'deferred', reason: 'socket hang up' });
  });

  it('sorts the errors nodemailer really throws against a real SMTP server', async () => {
    const sink = await startSink({
      rcpt: (address) => (address.startsWith('gone@') ? 550 : address.startsWith('busy@') ? 451 : undefined),
      dropDuring: (recipients) => recipients.includes('drop@example.com'),
    });
    sinks.push(sink);
    const transport = await transportFor(sink.url);
    const failureFor = async (to: string) => {
      const error = await transport.send({ ...message(1), envelope: { from: 'news@example.org', to } }).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(Error);
      return classifyFailure(error);
    };
    expect(await failureFor('gone@example.com')).toMatchObject({ kind: 'bounce', reason: expect.stringContaining('550') });
    expect(await failureFor('busy@example.com')).toMatchObject({ kind: 'deferred', reason: expect.stringContaining('451') });
    expect((await failureFor('drop@example.com')).kind).toBe('deferred');
    expect(await transport.send({ ...message(1), envelope: { from: 'news@example.org', to: 'fine@example.com' } })).toMatchObject({
      response: expect.stringMatching(/^250/),
    });
    expect(sink.received.map((mail) => mail.to)).toEqual([['fine@example.com']]);
  });
});
