/**
 * The bounce webhooks of `paperboy serve`: each provider's documented payload, signed the way the
 * provider signs it, is accepted and acted on; the same request tampered with is a 401 and
 * changes nothing. Amazon SNS's signing certificate comes from a real local HTTP server (a
 * certificate made by openssl for the test), allowed by `certificateHosts`.
 */
import { execFileSync } from 'node:child_process';
import { createHmac, generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { snsUrlAllowed } from '../../src/web/webhook-signatures.js';
import { tempDir } from '../helpers/cli.js';
import { addPeople } from '../helpers/delivery.js';
import { openWeb, type WebWorld, worldDir } from '../helpers/web.js';

const dir = tempDir('paperboy-webhooks-');
const genericSecret = 'generic-webhook-secret-0123456789';
const mailgunKey = 'key-mailgun-signing-0123456789';
const sendgridKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const sendgridPublicKey = sendgridKeys.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
const topicArn = 'arn:aws:sns:eu-west-1:123456789012:paperboy-bounces';

/** A local stand-in for sns.<region>.amazonaws.com: the signing certificate, and the subscription-confirmation URL. */
let sns: { server: Server; url: string; key: string; cert: string; confirmations: string[]; requests: number };

beforeAll(async () => {
  const key = join(dir.path, 'sns.key');
  const cert = join(dir.path, 'sns.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-subj', '/CN=sns.test', '-days', '2'], {
    stdio: 'ignore',
  });
  const confirmations: string[] = [];
  const server = createServer((request, response) => {
    sns.requests++;
    if (request.url === '/SimpleNotificationService.pem') return response.end(readFileSync(cert));
    if (request.url?.startsWith('/confirm')) {
      confirmations.push(request.url);
      return response.end('<ConfirmSubscriptionResponse/>');
    }
    response.statusCode = 404;
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sns = {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    key: readFileSync(key, 'utf8'),
    cert: readFileSync(cert, 'utf8'),
    confirmations,
    requests: 0,
  };
});

afterAll(async () => {
  await new Promise((resolve) => sns.server.close(resolve));
  dir.remove();
});

let web: WebWorld;
let app: FastifyInstance;
let cases = 0;
beforeEach(async () => {
  web = await openWeb(worldDir(dir.path, `case-${++cases}`), {
    bounces: {
      webhooks: {
        ses: { certificateHosts: '^127\\.0\\.0\\.1$', topicArn },
        postmark: { user: 'postmark', password: 'basic-auth-password' },
        mailgun: { signingKey: mailgunKey },
        sendgrid: { publicKey: sendgridPublicKey },
        generic: { secret: genericSecret },
      },
    },
  });
  app = web.app;
  await addPeople(web.world, [{ email: 'ada@example.org' }, { email: 'bob@example.org' }]);
  return () => web.close();
});

const statusOf = async (email: string) => (await web.find(email))!.status;
const post = (provider: string, body: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: `/webhooks/bounces/${provider}`, payload: body, headers: { 'content-type': 'application/json', ...headers } });

/** Each case: the signed request, the same one tampered with, and what the accepted one does. */
async function acceptsSignedRefusesTampered(
  send: () => Promise<{ statusCode: number }>,
  tampered: () => Promise<{ statusCode: number }>,
  email: string,
  after: string,
) {
  const refused = await tampered();
  expect(refused.statusCode).toBe(401);
  expect(await statusOf(email)).toBe('active');
  const accepted = await send();
  expect(accepted.statusCode).toBe(200);
  expect(await statusOf(email)).toBe(after);
}

describe('bounce webhooks', () => {
  it('generic: an HMAC-SHA256 of the body in X-Paperboy-Signature', async () => {
    const body = JSON.stringify({ id: 'evt-1', kind: 'bounce', email: 'ada@example.org', status: '5.1.1', reason: '550 5.1.1 user unknown' });
    const signature = `sha256=${createHmac('sha256', genericSecret).update(body).digest('hex')}`;
    await acceptsSignedRefusesTampered(
      () => post('generic', body, { 'x-paperboy-signature': signature }),
      () => post('generic', body.replace('ada@', 'bob@'), { 'x-paperboy-signature': signature }),
      'ada@example.org',
      'bounced',
    );
    expect(await statusOf('bob@example.org')).toBe('active');
    // Delivered twice (webhooks retry): one event.
    const again = await post('generic', body, { 'x-paperboy-signature': signature });
    expect(again.json()).toMatchObject({ ok: true, events: { duplicate: 1 } });
    expect(await web.world.db.prepare('SELECT count(*) AS n FROM bounce_events').get()).toEqual({ n: 1 });
  });

  it('Postmark: HTTP basic auth, its bounce payload', async () => {
    // https://postmarkapp.com/developer/webhooks/bounce-webhook
    const body = JSON.stringify({
      RecordType: 'Bounce',
      ID: 4323372036854775,
      Type: 'HardBounce',
      TypeCode: 1,
      Name: 'Hard bounce',
      MessageID: '883953f4-6105-42a2-a16a-77a8eac79483',
      ServerID: 23,
      MessageStream: 'outbound',
      Description: 'The server was unable to deliver your message (ex: unknown user, mailbox not found).',
      Details: 'smtp;550 5.1.1 The email account that you tried to reach does not exist.',
      Email: 'ada@example.org',
      From: 'news@example.org',
      BouncedAt: '2026-08-21T16:33:54.9070259Z',
      DumpAvailable: true,
      Inactive: true,
      CanActivate: true,
      Subject: 'Daily Papers',
    });
    const auth = (password: string) => ({ authorization: `Basic ${Buffer.from(`postmark:${password}`).toString('base64')}` });
    await acceptsSignedRefusesTampered(
      () => post('postmark', body, auth('basic-auth-password')),
      () => post('postmark', body, auth('guessed')),
      'ada@example.org',
      'bounced',
    );
    const complaint = JSON.stringify({
      RecordType: 'SpamComplaint',
      ID: 42,
      Type: 'SpamComplaint',
      TypeCode: 512,
      Email: 'bob@example.org',
      MessageStream: 'outbound',
    });
    expect((await post('postmark', complaint, auth('basic-auth-password'))).statusCode).toBe(200);
    expect(await statusOf('bob@example.org')).toBe('complained');
  });

  describe('Mailgun', () => {
    // https://documentation.mailgun.com/docs/mailgun/user-manual/tracking-messages/#securing-webhooks
    const token50 = () => randomBytes(25).toString('hex');
    const signed = (timestamp: number | string, token = token50()) => ({
      timestamp: String(timestamp),
      token,
      signature: createHmac('sha256', mailgunKey).update(`${timestamp}${token}`).digest('hex'),
    });
    const event = (signature: object, recipient = 'ada@example.org') =>
      JSON.stringify({
        signature,
        'event-data': {
          event: 'failed',
          severity: 'permanent',
          id: randomUUID(),
          timestamp: 1521233195.375624,
          recipient,
          reason: 'bounce',
          'delivery-status': {
            code: 550,
            'enhanced-code': '5.1.1',
            message: '5.1.1 The email account that you tried to reach does not exist',
            description: '',
          },
          message: {
            headers: { to: recipient, 'message-id': '20260821165623.1.2BD1ED6BA2EE8456@news.example.org', from: 'news@example.org', subject: 'Daily Papers' },
          },
        },
      });
    const now = () => Math.floor(Date.now() / 1000);

    it('takes an HMAC of timestamp and token with the signing key, fresh, once', async () => {
      const good = signed(now());
      await acceptsSignedRefusesTampered(
        () => post('mailgun', event(good)),
        () => post('mailgun', event({ ...good, token: `${good.token.slice(1)}x` })),
        'ada@example.org',
        'bounced',
      );
      // A genuine signature from an hour ago is a replay.
      expect((await post('mailgun', event(signed(now() - 3600)))).statusCode).toBe(401);
      // So is a fresh one sent again (the signature does not cover the events it carries), even to another process on the store.
      expect((await post('mailgun', event(good, 'bob@example.org'))).statusCode).toBe(401);
      const other = await web.build();
      expect(
        (
          await other.inject({
            method: 'POST',
            url: '/webhooks/bounces/mailgun',
            payload: event(good, 'bob@example.org'),
            headers: { 'content-type': 'application/json' },
          })
        ).statusCode,
      ).toBe(401);
      expect(await statusOf('bob@example.org')).toBe('active');
    });

    it('refuses every request built from one capture: shifted tokens, a timestamp with a letter, an old capture', async () => {
      const captured = signed(now());
      expect((await post('mailgun', event(captured))).statusCode).toBe(200);
      // Moving the token's first characters onto the timestamp keeps timestamp+token, and so the signature.
      for (const moved of [1, 2, 5, 10]) {
        const shifted = {
          timestamp: `${captured.timestamp}${captured.token.slice(0, moved)}`,
          token: captured.token.slice(moved),
          signature: captured.signature,
        };
        expect((await post('mailgun', event(shifted, 'bob@example.org'))).statusCode, `${moved} moved`).toBe(401);
      }
      // A letter in the timestamp once made it NaN, which skipped the 15-minute window.
      const letter = signed('1x', token50());
      expect((await post('mailgun', event(letter, 'bob@example.org'))).statusCode).toBe(401);
      const month = signed(now() - 30 * 86_400);
      expect((await post('mailgun', event(month, 'bob@example.org'))).statusCode).toBe(401);
      // A token of another length than Mailgun's 50 characters.
      expect((await post('mailgun', event(signed(now(), 'a'.repeat(49)), 'bob@example.org'))).statusCode).toBe(401);
      expect(await statusOf('bob@example.org')).toBe('active');
    });
  });

  it('SendGrid: the signed event webhook (ECDSA over timestamp and body)', async () => {
    // https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features
    const body = JSON.stringify([
      {
        email: 'bob@example.org',
        timestamp: 1513299569,
        'smtp-id': '<14c5d75ce93.dfd.64b469@ismtpd-555>',
        event: 'delivered',
        sg_event_id: 'sg-1',
        sg_message_id: 'm1',
        response: '250 OK',
      },
      {
        email: 'ada@example.org',
        timestamp: 1513299569,
        'smtp-id': '<14c5d75ce93.dfd.64b469@ismtpd-555>',
        event: 'bounce',
        category: 'digest',
        sg_event_id: 'sg-2',
        sg_message_id: 'm2',
        reason: '550 5.1.1 The email account that you tried to reach does not exist',
        status: '5.1.1',
        type: 'bounce',
      },
    ]);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers = (payload: string) => ({
      'x-twilio-email-event-webhook-timestamp': timestamp,
      'x-twilio-email-event-webhook-signature': sign('sha256', Buffer.from(timestamp + payload), sendgridKeys.privateKey).toString('base64'),
    });
    await acceptsSignedRefusesTampered(
      () => post('sendgrid', body, headers(body)),
      () => post('sendgrid', body.replace('"bounce","category"', '"bounce","category" '), headers(body)),
      'ada@example.org',
      'bounced',
    );
    expect(await statusOf('bob@example.org')).toBe('active');
  });

  it('SendGrid: refuses a signed request from long ago or with a timestamp that is not one', async () => {
    const body = JSON.stringify([{ email: 'bob@example.org', timestamp: 1513299569, event: 'spamreport', sg_event_id: 'sg-3' }]);
    const signedAt = (timestamp: string) => ({
      'x-twilio-email-event-webhook-timestamp': timestamp,
      'x-twilio-email-event-webhook-signature': sign('sha256', Buffer.from(timestamp + body), sendgridKeys.privateKey).toString('base64'),
    });
    expect((await post('sendgrid', body, signedAt(String(Math.floor(Date.now() / 1000) - 365 * 86_400)))).statusCode).toBe(401);
    expect((await post('sendgrid', body, signedAt('x'))).statusCode).toBe(401);
    expect(await statusOf('bob@example.org')).toBe('active');
  });

  it('answers a signed body that is no event with 400 (sending it again would not help), and reads no unsigned JSON', async () => {
    const signedGeneric = (body: string) => ({ 'x-paperboy-signature': `sha256=${createHmac('sha256', genericSecret).update(body).digest('hex')}` });
    for (const body of ['"x"', '[1, 2]', 'not json', 'null']) expect((await post('generic', body, signedGeneric(body))).statusCode, body).toBe(400);
    const postmarkAuth = { authorization: `Basic ${Buffer.from('postmark:basic-auth-password').toString('base64')}` };
    expect((await post('postmark', 'not json', postmarkAuth)).statusCode).toBe(400);
    // An unsigned megabyte of nested JSON is refused by its signature before it is parsed.
    const nested = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const parse = vi.spyOn(JSON, 'parse');
    try {
      expect((await post('generic', nested)).statusCode).toBe(401);
      expect(
        (await post('sendgrid', nested, { 'x-twilio-email-event-webhook-timestamp': '1', 'x-twilio-email-event-webhook-signature': 'AAAA' })).statusCode,
      ).toBe(401);
      expect(parse.mock.calls.filter(([text]) => text === nested)).toEqual([]);
    } finally {
      parse.mockRestore();
    }
  });

  it('limits how often one address may call', async () => {
    const limited = await openWeb(worldDir(dir.path, `limited-${cases}`), {
      bounces: { webhooks: { generic: { secret: genericSecret } } },
      'web.webhooksPerMinute': 3,
    });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++)
        codes.push(
          (await limited.app.inject({ method: 'POST', url: '/webhooks/bounces/generic', payload: '{}', headers: { 'content-type': 'application/json' } }))
            .statusCode,
        );
      expect(codes).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await limited.close();
    }
  });

  describe('Amazon SES through SNS', () => {
    /** The text SNS signs (docs: "Verifying the signatures of Amazon SNS messages"). */
    function signSns(message: Record<string, string>): Record<string, string> {
      const fields =
        message.Type === 'Notification'
          ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
          : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
      const text = fields
        .filter((field) => message[field] !== undefined)
        .map((field) => `${field}\n${message[field]}\n`)
        .join('');
      return {
        ...message,
        SignatureVersion: '1',
        Signature: sign('sha1', Buffer.from(text), sns.key).toString('base64'),
        SigningCertURL: `${sns.url}/SimpleNotificationService.pem`,
      };
    }
    const notification = (ses: object) => ({
      Type: 'Notification',
      MessageId: randomUUID(),
      TopicArn: topicArn,
      Message: JSON.stringify(ses),
      Timestamp: new Date().toISOString(),
      UnsubscribeURL: `${sns.url}/unsubscribe`,
    });
    const postSns = (message: object) =>
      post('ses', JSON.stringify(message), {
        'content-type': 'text/plain; charset=UTF-8',
        'x-amz-sns-message-type': String((message as { Type: string }).Type),
      });
    const mail = {
      timestamp: '2026-08-21T07:00:00.000Z',
      source: 'news@example.org',
      messageId: '0100018a-ses',
      destination: ['ada@example.org'],
      commonHeaders: { subject: 'Daily Papers' },
    };

    it('confirms the subscription by visiting SubscribeURL, once the request is signed', async () => {
      const confirm = signSns({
        Type: 'SubscriptionConfirmation',
        MessageId: randomUUID(),
        Token: 'tok',
        TopicArn: topicArn,
        Message: 'You have chosen to subscribe…',
        SubscribeURL: `${sns.url}/confirm?token=tok`,
        Timestamp: new Date().toISOString(),
      });
      expect((await postSns({ ...confirm, SubscribeURL: `${sns.url}/confirm?token=forged` })).statusCode).toBe(401);
      expect(sns.confirmations).toEqual([]);
      expect((await postSns(confirm)).statusCode).toBe(200);
      expect(sns.confirmations).toEqual(['/confirm?token=tok']);
      // Amazon refusing the confirmation is a failure SNS will retry, not a 200.
      const refused = signSns({ ...confirm, MessageId: randomUUID(), SubscribeURL: `${sns.url}/gone` });
      expect((await postSns(refused)).statusCode).toBe(502);
    });

    it('reads a bounce and a complaint notification, verified by the certificate', async () => {
      const bounce = signSns(
        notification({
          notificationType: 'Bounce',
          bounce: {
            bounceType: 'Permanent',
            bounceSubType: 'General',
            timestamp: '2026-08-21T07:00:05.000Z',
            feedbackId: 'f1',
            reportingMTA: 'dsn; a8-70.smtp-out.amazonses.com',
            bouncedRecipients: [{ emailAddress: 'ada@example.org', action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
          },
          mail,
        }),
      );
      await acceptsSignedRefusesTampered(
        () => postSns(bounce),
        () => postSns({ ...bounce, Message: bounce.Message!.replace('ada@', 'bob@') }),
        'ada@example.org',
        'bounced',
      );
      const complaint = signSns(
        notification({
          notificationType: 'Complaint',
          complaint: {
            userAgent: 'Yahoo!-Mail-Feedback/2.0',
            complainedRecipients: [{ emailAddress: 'bob@example.org' }],
            complaintFeedbackType: 'abuse',
            timestamp: '2026-08-21T08:00:00.000Z',
            feedbackId: 'f2',
          },
          mail: { ...mail, destination: ['bob@example.org'] },
        }),
      );
      expect((await postSns(complaint)).statusCode).toBe(200);
      expect(await statusOf('bob@example.org')).toBe('complained');
    });

    it('checks the topic before it fetches a certificate or checks a signature', async () => {
      const before = sns.requests;
      const otherTopic = signSns({
        ...notification({ notificationType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: 'ada@example.org' }] }, mail }),
        TopicArn: 'arn:aws:sns:eu-west-1:999:other',
      });
      expect((await postSns({ ...otherTopic, SigningCertURL: `${sns.url}/other-cert.pem` })).statusCode).toBe(401);
      expect(sns.requests).toBe(before);
    });

    it('refuses a certificate from a host not allowed, and another topic', async () => {
      const bounce = signSns(
        notification({
          notificationType: 'Bounce',
          bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'ada@example.org', status: '5.1.1' }] },
          mail,
        }),
      );
      expect((await postSns({ ...bounce, SigningCertURL: bounce.SigningCertURL!.replace('127.0.0.1', 'localhost') })).statusCode).toBe(401);
      const otherTopic = signSns({
        ...notification({
          notificationType: 'Bounce',
          bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'ada@example.org', status: '5.1.1' }] },
          mail,
        }),
        TopicArn: 'arn:aws:sns:eu-west-1:999:other',
      });
      expect((await postSns(otherTopic)).statusCode).toBe(401);
      expect(await statusOf('ada@example.org')).toBe('active');
    });
  });

  it("takes SNS certificates only from Amazon's SNS hosts, over https on port 443", () => {
    const hosts = configSchema.parse({ bounces: { webhooks: { ses: { topicArn } } } }).bounces.webhooks.ses!.certificateHosts;
    const allowed = (url: string) => snsUrlAllowed(url, hosts);
    expect(allowed('https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem')).toBe(true);
    expect(allowed('https://sns.us-gov-west-1.amazonaws.com/x.pem')).toBe(true);
    expect(allowed('https://sns.cn-north-1.amazonaws.com.cn/x.pem')).toBe(true);
    for (const url of [
      'https://sns.s3.amazonaws.com/x.pem',
      'https://sns.eu-west-1.amazonaws.com:8443/x.pem',
      'http://sns.eu-west-1.amazonaws.com/x.pem',
      'https://sns.eu-west-1.amazonaws.com.evil.example/x.pem',
      'https://evil.example/sns.eu-west-1.amazonaws.com',
      'https://user@sns.eu-west-1.amazonaws.com/x.pem',
    ])
      expect(allowed(url), url).toBe(false);
  });

  it('is not there for a provider that is not configured', async () => {
    const bare = await openWeb(worldDir(dir.path, `bare-${cases}`));
    try {
      const response = await bare.app.inject({
        method: 'POST',
        url: '/webhooks/bounces/generic',
        payload: '{}',
        headers: { 'content-type': 'application/json' },
      });
      expect(response.statusCode).toBe(404);
      expect(
        (await bare.app.inject({ method: 'POST', url: '/webhooks/bounces/unknown', payload: '{}', headers: { 'content-type': 'application/json' } }))
          .statusCode,
      ).toBe(404);
    } finally {
      await bare.close();
    }
  });
});
