import { describe, expect, it } from 'vitest';
import { parseBounce } from '../../src/bounces/index.js';
import { arf, mail } from './mails.js';

describe('ARF complaints (RFC 5965)', () => {
  it('reads the feedback type, the complaining reader and the user agent', async () => {
    const verdict = await parseBounce(
      arf(
        'Feedback-Type: Abuse\nUser-Agent: SomeFBL/1.0\nVersion: 1\nOriginal-Mail-From: <bounces+t0k3n@news.example.org>\nOriginal-Rcpt-To: <Reader@Example.com>',
      ),
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

  it("reads Microsoft's own complaint format: the reported message alone, naming the reader in X-HmXmrOriginalRecipient", async () => {
    const reported = [
      'X-HmXmrOriginalRecipient: Reader@Hotmail.example',
      'From: Paperboy <digest@news.example.org>',
      'To: reader@hotmail.example',
      'Message-ID: <2026-11-26.42@news.example.org>',
      '',
      'Hello',
    ].join('\n');
    const verdict = await parseBounce(
      mail(
        {
          From: 'staff@hotmail.com',
          To: 'fbl@news.example.org',
          Subject: 'complaint about message from 192.0.2.1',
          'MIME-Version': '1.0',
          'Content-Type': 'multipart/mixed; boundary="B"',
        },
        `--B\nContent-Type: message/rfc822\nContent-Disposition: inline\n\n${reported}\n--B--\n`,
      ),
    );
    expect(verdict).toMatchObject({
      kind: 'complaint',
      format: 'arf-variant',
      complaint: { feedbackType: 'abuse', recipient: 'reader@hotmail.example' },
      originalMessageId: '<2026-11-26.42@news.example.org>',
    });
  });

  it("takes Apple Mail's unsubscribe message for an opt-out, not an auto-reply", async () => {
    const verdict = await parseBounce(
      mail(
        {
          From: 'reader@icloud.example',
          To: 'opt-out-42@news.example.org',
          Subject: 'unsubscribe',
          'Auto-Submitted': 'auto-replied',
          'X-Apple-Unsubscribe': 'true',
        },
        'Apple Mail sent this email to unsubscribe.\n',
      ),
    );
    expect(verdict).toMatchObject({ kind: 'complaint', complaint: { feedbackType: 'opt-out', recipient: 'reader@icloud.example' } });
    const reply = await parseBounce(
      mail({ From: 'reader@icloud.example', To: 'digest@news.example.org', Subject: 'Re: Paperboy', 'Auto-Submitted': 'auto-replied' }, 'I am away.\n'),
    );
    expect(reply.kind).toBe('auto-reply');
  });

  it('leaves out what the report does not say', async () => {
    const verdict = await parseBounce(arf('Feedback-Type: auth-failure\nVersion: 1'));
    expect(verdict.complaint).toEqual({ feedbackType: 'auth-failure' });
  });
});

const sns = (message: object) =>
  mail(
    {
      From: 'AWS Notifications <no-reply@sns.amazonaws.com>',
      To: 'ses@news.example.org',
      Subject: 'AWS Notification Message',
      'Message-ID': '<sns.1@email.amazonses.com>',
    },
    `${JSON.stringify(message)}\n\n--\nIf you wish to stop receiving notifications from this topic, click {here}.\n`,
  );
const sesMail = {
  source: 'bounces+t0k3n@news.example.org',
  commonHeaders: { messageId: '<2026-11-26.42@news.example.org>', to: ['reader@example.com'], subject: 'Paperboy' },
};

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
    expect(verdict.recipients).toEqual([
      { email: 'reader@example.com', status: '5.1.1', hard: true, action: 'failed', reason: 'smtp; 550 5.1.1 user unknown' },
    ]);

    const transient = await parseBounce(
      sns({
        notificationType: 'Bounce',
        bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: 'a@example.com', status: '5.1.1' }] },
        mail: sesMail,
      }),
    );
    expect(transient.recipients[0]).toMatchObject({ hard: false });
  });

  it('reads a complaint, bare or inside an SNS envelope, and a delivery as not a bounce', async () => {
    const complaint = {
      notificationType: 'Complaint',
      complaint: { complainedRecipients: [{ emailAddress: 'reader@example.com' }], complaintFeedbackType: 'abuse', userAgent: 'Yahoo' },
      mail: sesMail,
    };
    for (const body of [complaint, { Type: 'Notification', Message: JSON.stringify(complaint) }]) {
      expect(await parseBounce(sns(body))).toMatchObject({
        kind: 'complaint',
        complaint: { feedbackType: 'abuse', recipient: 'reader@example.com', userAgent: 'Yahoo' },
      });
    }
    expect((await parseBounce(sns({ notificationType: 'Delivery', mail: sesMail }))).kind).toBe('not-bounce');
  });

  it('reads a notification whose long line a relay folded with "!" (and a pretty-printed SNS envelope)', async () => {
    const bounce = {
      notificationType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        bouncedRecipients: [{ emailAddress: 'reader@example.com', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
      },
      mail: sesMail,
    };
    const line = JSON.stringify(bounce);
    const folded = `${line.slice(0, 120)}!\n ${line.slice(120)}`;
    expect(
      (await parseBounce(mail({ From: 'no-reply@sns.amazonaws.com', Subject: 'AWS Notification Message' }, `${folded}\n\n--\nfooter\n`))).recipients,
    ).toMatchObject([{ email: 'reader@example.com', hard: true }]);
    const envelope = JSON.stringify({ Type: 'Notification', Message: line }, null, 2);
    const cut = envelope.indexOf('reader@');
    const foldedEnvelope = `${envelope.slice(0, cut)}!\n ${envelope.slice(cut)}`;
    expect(
      (await parseBounce(mail({ From: 'no-reply@sns.amazonaws.com', Subject: 'AWS Notification Message' }, `${foldedEnvelope}\n`))).recipients,
    ).toMatchObject([{ email: 'reader@example.com' }]);
  });
});
