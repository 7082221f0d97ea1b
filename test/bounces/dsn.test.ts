import { describe, expect, it } from 'vitest';
import { parseDeliveryStatus } from '../../src/bounces/dsn.js';
import { parseBounce } from '../../src/bounces/index.js';
import { dsn } from './mails.js';

describe('parseDeliveryStatus', () => {
  it('reads the per-message group and one group per recipient, unfolding continued lines', () => {
    const status = parseDeliveryStatus(
      [
        'Reporting-MTA: dns; mx.example.net',
        'X-Postfix-Sender: rfc822; bounces+t0k3n@news.example.org',
        '',
        'Final-Recipient: rfc822; ada@example.com',
        'Action: failed',
        'Status: 5.1.1',
        'Diagnostic-Code: smtp; 550 5.1.1 <ada@example.com>: Recipient',
        '    address rejected: User unknown in',
        '\tlocal recipient table',
        '',
        'Final-Recipient: rfc822; bob@example.org',
        'Action: delayed',
        'Status: 4.4.1',
      ].join('\r\n'),
    );
    expect(status.message.get('reporting-mta')).toBe('dns; mx.example.net');
    expect(status.message.get('x-postfix-sender')).toBe('rfc822; bounces+t0k3n@news.example.org');
    expect(status.recipients).toEqual([
      {
        finalRecipient: 'rfc822; ada@example.com',
        action: 'failed',
        status: '5.1.1',
        diagnosticCode: 'smtp; 550 5.1.1 <ada@example.com>: Recipient address rejected: User unknown in local recipient table',
      },
      { finalRecipient: 'rfc822; bob@example.org', action: 'delayed', status: '4.4.1' },
    ]);
  });

  it('splits recipients that have no blank line between them, whatever the field order', () => {
    const status = parseDeliveryStatus(
      [
        'original-recipient: rfc822;a@example.com',
        'FINAL-RECIPIENT: rfc822;a@example.com',
        'Action: failed',
        'Original-Recipient: rfc822;b@example.com',
        'Final-Recipient: rfc822;b@example.com',
        'Action: failed',
        'Final-Recipient: rfc822;c@example.com',
        'Original-Recipient: rfc822;c@example.com',
        'Action: failed',
      ].join('\n'),
    );
    expect(status.recipients.map((r) => [r.originalRecipient, r.finalRecipient])).toEqual([
      ['rfc822;a@example.com', 'rfc822;a@example.com'],
      ['rfc822;b@example.com', 'rfc822;b@example.com'],
      ['rfc822;c@example.com', 'rfc822;c@example.com'],
    ]);
  });

  it('keeps a group without a recipient as per-message fields', () => {
    const status = parseDeliveryStatus('Reporting-MTA: dns; a\n\nAction: failed\nFinal-Recipient: rfc822; x@example.com\n');
    expect(status.message.get('reporting-mta')).toBe('dns; a');
    expect(status.recipients).toEqual([{ action: 'failed', finalRecipient: 'rfc822; x@example.com' }]);
  });
});

describe('parseBounce on a DSN', () => {
  it('returns each failed recipient lower-cased, without rfc822; or brackets, once', async () => {
    const verdict = await parseBounce(
      dsn({
        deliveryStatus: [
          'Reporting-MTA: dns; mx.example.net',
          '',
          'Final-Recipient: RFC822; <Ada.Lovelace@Example.COM>',
          'Action: failed',
          'Status: 5.1.1',
          'Diagnostic-Code: smtp; 550 5.1.1 user unknown',
          '',
          'Final-Recipient: rfc822;ada.lovelace@example.com',
          'Action: failed',
          'Status: 5.1.1',
        ].join('\n'),
      }),
    );
    expect(verdict.kind).toBe('bounce');
    expect(verdict.format).toBe('dsn');
    expect(verdict.recipients).toEqual([
      { email: 'ada.lovelace@example.com', status: '5.1.1', hard: true, action: 'failed', reason: '550 5.1.1 user unknown' },
    ]);
  });

  it('takes a delay notice as a soft bounce, and a report of deliveries only as no bounce', async () => {
    const delayed = await parseBounce(
      dsn({ deliveryStatus: 'Final-Recipient: rfc822; a@example.com\nAction: delayed\nStatus: 4.4.7\nDiagnostic-Code: smtp; 421 4.4.7 try later' }),
    );
    expect(delayed.kind).toBe('bounce');
    expect(delayed.recipients).toEqual([{ email: 'a@example.com', status: '4.4.7', hard: false, action: 'delayed', reason: '421 4.4.7 try later' }]);

    const delivered = await parseBounce(
      dsn({
        deliveryStatus:
          'Final-Recipient: rfc822; a@example.com\nAction: relayed\nStatus: 2.0.0\n\nFinal-Recipient: rfc822; b@example.com\nAction: delivered\nStatus: 2.0.0',
      }),
    );
    expect(delivered.kind).toBe('not-bounce');
    expect(delivered.recipients).toEqual([]);

    // Postfix's report for `sendmail -bv`: "deliverable", status 2.1.5.
    const verified = await parseBounce(
      dsn({ deliveryStatus: 'Final-Recipient: rfc822; a@example.com\nAction: deliverable\nStatus: 2.1.5\nDiagnostic-Code: smtp; 250 2.1.5 Ok' }),
    );
    expect(verified.kind).toBe('not-bounce');
  });

  it('asks X-Failed-Recipients when the failed Final-Recipient is no address', async () => {
    const verdict = await parseBounce(
      dsn({
        headers: { 'X-Failed-Recipients': 'reader%example.com@mx.example.net' },
        notification: 'The following address(es) failed:\n\n  save to /var/spool/mail/reader\n    mailbox is full: retry timeout exceeded',
        deliveryStatus: 'Reporting-MTA: dns; mx.example.net\n\nAction: failed\nFinal-Recipient: rfc822;/var/spool/mail/reader\nStatus: 5.0.0',
      }),
    );
    expect(verdict.kind).toBe('bounce');
    expect(verdict.recipients.map((r) => [r.email, r.hard])).toEqual([['reader%example.com@mx.example.net', false]]);
  });

  it('uses the Original-Recipient when the Final-Recipient is not an address', async () => {
    const verdict = await parseBounce(
      dsn({ deliveryStatus: 'Original-Recipient: rfc822; reader@example.com\nFinal-Recipient: x400; /c=us/o=example/\nAction: failed\nStatus: 5.2.2' }),
    );
    expect(verdict.recipients.map((r) => [r.email, r.status, r.hard])).toEqual([['reader@example.com', '5.2.2', false]]);
  });

  it('reads DSN fields written into the text when the report has no delivery-status part', async () => {
    const text = [
      'An error occurred while trying to deliver the mail to the following recipients:',
      'ada@example.com',
      '',
      'Final-Recipient: rfc822; ada@example.com',
      'Action: failed',
      'Status: 5.1.1',
    ].join('\n');
    const verdict = await parseBounce(
      `From: MAILER-DAEMON@example.net\nSubject: Delivery Status Notification (Failure)\nContent-Type: text/plain\n\n${text}\n`,
    );
    expect(verdict.format).toBe('dsn-in-text');
    expect(verdict.recipients.map((r) => [r.email, r.hard])).toEqual([['ada@example.com', true]]);
  });
});
