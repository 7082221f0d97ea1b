import { describe, expect, it } from 'vitest';
import { parseBounce } from '../../src/bounces/index.js';
import { arf, mail } from './mails.js';

describe('ARF complaints (RFC 5965)', () => {
  it('reads the feedback type, the complaining reader and the user agent', async () => {
    const verdict = await parseBounce(
      arf('Feedback-Type: Abuse\nUser-Agent: SomeFBL/1.0\nVersion: 1\nOriginal-Mail-From: <bounces+t0k3n@news.example.org>\nOriginal-Rcpt-To: <Reader@Example.com>'),
    );
    expect(verdict).toMatchObject({
      kind: 'complaint',
      format: 'arf',
      recipients: [],
      complaint: { feedbackType: 'abuse', recipient: 'reader@example.com', userAgent: 'SomeFBL/1.0' },
      originalMessageId: '<2026-11-26.42@news.example.org>',
      returnPath: 'abuse@news.example.org',
    });
  });

  it('leaves out what the report does not say', async () => {
    const verdict = await parseBounce(arf('Feedback-Type: auth-failure\nVersion: 1'));
    expect(verdict.complaint).toEqual({ feedbackType: 'auth-failure' });
  });
});

const sns = (message: object) =>
  mail(
    { From: 'AWS Notifications <no-reply@sns.amazonaws.com>', To: 'ses@news.example.org', Subject: 'AWS Notification Message', 'Message-ID': '<sns.1@email.amazonses.com>' },
    `${JSON.stringify(message)}\n\n--\nIf you wish to stop receiving notifications from this topic, click {here}.\n`,
  );
const sesMail = { source: 'bounces+t0k3n@news.example.org', commonHeaders: { messageId: '<2026-11-26.42@news.example.org>', to: ['reader@example.com'], subject: 'Paperboy' } };

describe('Amazon SES notifications (JSON mailed by SNS)', () => {
  it('reads a bounce, Permanent as hard by its code and Transient as soft', async () => {
    const verdict = await parseBounce(
      sns({
        notificationType: 'Bounce',
        bounce: {
          bounceType: 'Permanent',
          bouncedRecipients: [{ emailAddress: 'Reader@Example.com', action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
        },
        mail: sesMail,
      }),
    );
    expect(verdict).toMatchObject({ kind: 'bounce', format: 'amazon-ses-json', originalMessageId: '<2026-11-26.42@news.example.org>' });
    expect(verdict.recipients).toEqual([{ email: 'reader@example.com', status: '5.1.1', hard: true, action: 'failed', reason: 'smtp; 550 5.1.1 user unknown' }]);

    const transient = await parseBounce(sns({ notificationType: 'Bounce', bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: 'a@example.com', status: '5.1.1' }] }, mail: sesMail }));
    expect(transient.recipients[0]).toMatchObject({ hard: false });
  });

  it('reads a complaint, bare or inside an SNS envelope, and a delivery as not a bounce', async () => {
    const complaint = { notificationType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: 'reader@example.com' }], complaintFeedbackType: 'abuse', userAgent: 'Yahoo' }, mail: sesMail };
    for (const body of [complaint, { Type: 'Notification', Message: JSON.stringify(complaint) }]) {
      expect(await parseBounce(sns(body))).toMatchObject({ kind: 'complaint', complaint: { feedbackType: 'abuse', recipient: 'reader@example.com', userAgent: 'Yahoo' } });
    }
    expect((await parseBounce(sns({ notificationType: 'Delivery', mail: sesMail }))).kind).toBe('not-bounce');
  });
});
