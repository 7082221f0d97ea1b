import { describe, expect, it } from 'vitest';
import { parseBounce } from '../../src/bounces/index.js';
import { mail } from './mails.js';

/** Free-text reports (no delivery-status part), in the MTAs' documented wordings. */
const daemon = { From: 'Mail Delivery System <Mailer-Daemon@mx.example.net>', To: 'bounces+t0k3n@news.example.org', 'Auto-Submitted': 'auto-replied' };
const summary = async (raw: string) => {
  const verdict = await parseBounce(raw);
  return { kind: verdict.kind, recipients: verdict.recipients.map((r) => [r.email, r.status, r.hard, r.action]) };
};

describe('Exim (deliver.c wordings)', () => {
  it('reads a delay warning as a soft, delayed bounce, not an auto-reply', async () => {
    const body = [
      'This message was created automatically by mail delivery software.',
      'A message that you sent has not yet been delivered to one or more of its',
      'recipients after more than 24 hours on the queue on mx.example.net.',
      '',
      'The address to which the message has not yet been delivered is:',
      '',
      '  reader@example.com',
      '    host mx.example.com [192.0.2.1]',
      '    Delay reason: SMTP error from remote mail server after MAIL FROM:<bounces+t0k3n@news.example.org>:',
      '    450 greylisted, try later',
      '',
      'No action is required on your part. Delivery attempts will continue for',
      'some time, and this warning may be repeated at intervals.',
    ].join('\n');
    expect(await summary(mail({ ...daemon, Subject: 'Warning: message 1abc-000 delayed 24 hours' }, body))).toEqual({
      kind: 'bounce',
      recipients: [['reader@example.com', '4.0.0', false, 'delayed']],
    });
  });

  it('reads the notice for a malformed recipient address', async () => {
    const body = [
      'A message that you sent contained one or more recipient addresses that were',
      'incorrectly constructed:',
      '',
      '  reader@example.com <other@example.net>: malformed address: <other@example.net> may not follow reader@example.com',
      '',
      'This address has been ignored.',
      '',
      '------ This is a copy of your message, including all the headers. ------',
      '',
      'To: other@example.net',
    ].join('\n');
    expect((await summary(mail({ ...daemon, Subject: 'Mail failure - malformed recipient address' }, body))).recipients).toEqual([
      ['reader@example.com', '5.0.0', false, 'failed'],
    ]);
  });
});

describe('Sendmail transcripts', () => {
  it("keeps the reply code of a transcript line with its recipient, not the next host's deferral", async () => {
    const body = [
      '   ----- Transcript of session follows -----',
      'While talking to smtp.example.com:',
      '>>> RCPT To:<reader@example.com>',
      '<<< 550 <reader@example.com>, User Unknown',
      '550 <reader@example.com>... User unknown',
      '421 example.com (smtp)... Deferred: Connection timed out during user open with example.com',
      '',
      '   ----- Unsent message follows -----',
      'From: digest@news.example.org',
      'To: reader@example.com',
    ].join('\n');
    expect(
      (await summary(mail({ From: 'Mail Delivery Subsystem <MAILER-DAEMON@example.com>', Subject: 'Returned mail: User unknown' }, body))).recipients,
    ).toEqual([['reader@example.com', '5.1.1', true, 'failed']]);
  });

  it('finds the recipient in the unsent message when the transcript names none, Message-ID or not', async () => {
    const body = [
      '   ----- Transcript of session follows -----',
      '421 example.com (smtp)... Deferred: Connection timed out',
      '',
      '   ----- Unsent message follows -----',
      'From: digest@news.example.org',
      'To: reader@example.com',
      'Subject: Paperboy',
      '',
      'Hello',
    ].join('\n');
    const verdict = await parseBounce(
      mail({ From: 'Mail Delivery Subsystem <MAILER-DAEMON@example.com>', Subject: 'Returned mail: Cannot send message for 4 days' }, body),
    );
    expect(verdict.recipients.map((r) => [r.email, r.hard])).toEqual([['reader@example.com', false]]);
    expect(verdict.originalHeaders).toMatchObject({ to: 'reader@example.com', subject: 'Paperboy' });
  });
});

describe('reports in a wording without its own reader', () => {
  it("takes the addresses a daemon's report lists alone on a line (Domino, Notes, au)", async () => {
    const domino = [
      'Your message',
      '',
      '  Subject: Paperboy',
      '',
      'was not delivered to:',
      '',
      '  reader@example.jp',
      '',
      'because:',
      '',
      '  User Reader (reader@example.jp) not listed in Domino Directory',
    ].join('\n');
    expect(
      (
        await summary(
          mail(
            {
              From: 'Postmaster@example.jp',
              To: 'Sender <bounces+t0k3n@news.example.org>',
              Subject: 'DELIVERY FAILURE: User Reader (reader@example.jp) not listed',
            },
            domino,
          ),
        )
      ).recipients,
    ).toEqual([['reader@example.jp', '5.1.1', true, 'failed']]);

    const notes = [
      '------- Failure Reasons  --------',
      '',
      'Error',
      'reader@u1.example.co.jp',
      '',
      '------- Returned Message --------',
      'From: digest@news.example.org',
      'To: reader@example.co.jp',
    ].join('\n');
    expect((await summary(mail({ From: 'postmaster@n.example.co.jp', Subject: 'Undeliverable message' }, notes))).recipients).toEqual([
      ['reader@u1.example.co.jp', '5.0.0', false, 'failed'],
    ]);
  });

  it('reads IMail\'s "reason: address" lines from a postmaster named in quotes', async () => {
    const body = (line: string) => `${line}\n\n\nOriginal message follows.\n\nFrom: digest@news.example.org\nTo: other@example.com\n\nHello\n`;
    const headers = {
      From: '"Postmaster" <postmaster@example.org>',
      To: '<bounces+t0k3n@news.example.org>',
      Subject: 'Undeliverable Mail',
      'X-Mailer': '<SMTP32 v8.22>',
    };
    expect((await summary(mail(headers, body('Unknown user: reader@example.com')))).recipients).toEqual([['reader@example.com', '5.1.1', true, 'failed']]);
    expect((await summary(mail(headers, body('User mailbox exceeds allowed size: reader@example.com')))).recipients).toEqual([
      ['reader@example.com', '5.2.2', false, 'failed'],
    ]);
  });

  it("never lists the report's own addresses or a quoted header as a failed recipient", async () => {
    const body = [
      'Delivery failed.',
      '',
      'To: bounces+t0k3n@news.example.org',
      'bounces+t0k3n@news.example.org',
      'From: digest@news.example.org',
      '',
      'Original message follows.',
      '',
      'From: digest@news.example.org',
      'To: reader@example.com',
    ].join('\n');
    expect(
      (await summary(mail({ From: 'MAILER-DAEMON@mx.example.net', To: 'bounces+t0k3n@news.example.org', Subject: 'Undeliverable Mail' }, body))).recipients,
    ).toEqual([['reader@example.com', '5.0.0', false, 'failed']]);
  });
});
