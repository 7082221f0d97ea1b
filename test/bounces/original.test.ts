import { describe, expect, it } from 'vitest';
import { parseBounce } from '../../src/bounces/index.js';
import { dsn, mail, returnedHeaders } from './mails.js';

const failed = 'Final-Recipient: rfc822; reader@example.com\nAction: failed\nStatus: 5.1.1';

describe('the return path (who the report came back to)', () => {
  it('prefers the envelope recipient headers, keeping a VERP address whole', async () => {
    const verdict = await parseBounce(
      dsn({
        headers: { 'X-Original-To': 'bounces+r42-AbC@news.example.org', 'Delivered-To': 'catchall@news.example.org', To: 'digest@news.example.org' },
        deliveryStatus: failed,
      }),
    );
    expect(verdict.returnPath).toBe('bounces+r42-abc@news.example.org');
  });

  it('takes the lowest Delivered-To (the first delivery), then Envelope-To, then To', async () => {
    const delivered = await parseBounce(
      `Delivered-To: mailbox@news.example.org\r\nDelivered-To: bounces+first@news.example.org\r\n${dsn({ headers: { To: 'digest@news.example.org' }, deliveryStatus: failed })}`,
    );
    expect(delivered.returnPath).toBe('bounces+first@news.example.org');
    const envelope = await parseBounce(dsn({ headers: { 'Envelope-to': 'bounces+exim@news.example.org' }, deliveryStatus: failed }));
    expect(envelope.returnPath).toBe('bounces+exim@news.example.org');
    const to = await parseBounce(dsn({ headers: { To: '"Paperboy" <Bounces+T0K3N@news.example.org>' }, deliveryStatus: failed }));
    expect(to.returnPath).toBe('bounces+t0k3n@news.example.org');
  });
});

describe('the returned message', () => {
  it('is read from a message/rfc822 part', async () => {
    const verdict = await parseBounce(
      dsn({ deliveryStatus: failed, returned: { type: 'message/rfc822', content: `${returnedHeaders}\n\nToday: 10 papers.` } }),
    );
    expect(verdict.originalMessageId).toBe('<2026-11-26.42@news.example.org>');
    expect(verdict.originalHeaders).toEqual({
      'message-id': '<2026-11-26.42@news.example.org>',
      to: 'reader@example.com',
      from: 'Paperboy <digest@news.example.org>',
      subject: 'Paperboy Daily Papers',
      'list-id': 'Paperboy <daily.news.example.org>',
    });
  });

  it('is read from a text/rfc822-headers part, folded headers unfolded', async () => {
    const content = 'Message-ID:\n <folded.1@news.example.org>\nSubject: Paperboy\n Daily Papers';
    const verdict = await parseBounce(dsn({ deliveryStatus: failed, returned: { type: 'text/rfc822-headers', content } }));
    expect(verdict.originalMessageId).toBe('<folded.1@news.example.org>');
    expect(verdict.originalHeaders?.subject).toBe('Paperboy Daily Papers');
  });

  it('is read from headers quoted in the text, after the "copy of the message" line', async () => {
    const body = [
      'This message was created automatically by mail delivery software.',
      '',
      'A message that you sent could not be delivered to one or more of its',
      'recipients. This is a permanent error. The following address(es) failed:',
      '',
      '  reader@example.com',
      '    SMTP error from remote mail server after RCPT TO:<reader@example.com>:',
      '    550 5.1.1 User unknown',
      '',
      '------ This is a copy of the message, including all the headers. ------',
      '',
      'Return-path: <bounces+t0k3n@news.example.org>',
      'Received: from news.example.org',
      '\tby mx.example.net with esmtp (Exim 4.96)',
      returnedHeaders,
      '',
      'Today: 10 papers. Message-ID: <not-this@example.com>',
    ].join('\n');
    const verdict = await parseBounce(
      mail(
        {
          From: 'Mail Delivery System <Mailer-Daemon@mx.example.net>',
          'X-Failed-Recipients': 'reader@example.com',
          Subject: 'Mail delivery failed: returning message to sender',
          To: 'bounces+t0k3n@news.example.org',
        },
        body,
      ),
    );
    expect(verdict).toMatchObject({ kind: 'bounce', format: 'exim', originalMessageId: '<2026-11-26.42@news.example.org>' });
    expect(verdict.originalHeaders?.['return-path']).toBe('<bounces+t0k3n@news.example.org>');
    expect(verdict.recipients).toEqual([expect.objectContaining({ email: 'reader@example.com', status: '5.1.1', hard: true })]);
  });

  it('is read from a forwarded, "> "-quoted report', async () => {
    const quoted = [
      'Begin forwarded message:',
      '',
      '> From: MAILER-DAEMON@mx.example.net',
      '> Subject: Returned mail',
      '> Message-Id: <the-bounce@mx.example.net>',
      '>',
      '> Final-Recipient: RFC822; reader@example.com',
      '> Action: failed',
      '> Status: 5.1.1',
      '>',
      `> ${returnedHeaders.split('\n').join('\n> ')}`,
    ].join('\n');
    const verdict = await parseBounce(mail({ From: 'ada@example.com', Subject: 'Fwd: Returned mail' }, quoted));
    expect(verdict.originalMessageId).toBe('<2026-11-26.42@news.example.org>');
    expect(verdict.recipients.map((r) => r.email)).toEqual(['reader@example.com']);
  });
});

describe("the report's own Message-ID", () => {
  it('is its header, or a stable hash of the raw message when it has none', async () => {
    expect((await parseBounce(dsn({ deliveryStatus: failed }))).messageId).toBe('<dsn.1@mx.example.net>');
    const raw = dsn({ headers: { 'Message-ID': '' }, deliveryStatus: failed });
    const first = await parseBounce(raw);
    expect(first.messageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await parseBounce(Buffer.from(raw))).messageId).toBe(first.messageId);
  });
});
