import { describe, expect, it } from 'vitest';
import { classify, codesIn } from '../../src/bounces/status.js';

const hardness = (reported: string | undefined, diagnostic = '', options = {}) => classify(reported, diagnostic, options);

describe('codesIn', () => {
  it('finds enhanced status codes, not IP addresses or version numbers', () => {
    expect(codesIn('host 192.0.2.25 said: 550 5.1.1 <a@example.com>: user unknown (#5.1.1)')).toEqual(['5.1.1', '5.1.1']);
    expect(codesIn('Exim 4.92.3 at 10.5.2.1, v5.4.4, 1.2.3')).toEqual([]);
    expect(codesIn('550-5.7.26 unauthenticated; 421 4.7.0 [TSS04]')).toEqual(['5.7.26', '4.7.0']);
  });
});

describe('classify: a reported code decides', () => {
  it.each([
    ['5.1.1', true], // no such user
    ['5.1.2', true], // no such domain
    ['5.1.3', true], // bad address syntax
    ['5.1.6', true], // moved
    ['5.1.10', true], // null MX
    ['5.4.4', true], // unroutable
    ['5.1.0', true], // other address status: Sisimai reads it as no such user, unless the words say otherwise
    ['5.2.1', true], // disabled: treated as gone, as a 5.2.1 at RCPT is during a send
    ['5.2.2', false], // mailbox full
    ['5.1.8', false], // our sender address refused
    ['5.3.4', false], // too big
    ['5.4.7', false], // expired in the queue
    ['5.7.1', false], // policy
    ['5.7.26', false], // DMARC
    ['4.1.1', false], // temporary, whatever follows
    ['4.4.7', false],
  ])('%s → hard: %s', (code, hard) => {
    expect(hardness(code)).toEqual({ status: code, hard });
  });

  it('takes a specific code from the diagnostic when the report gives a vague one', () => {
    expect(hardness('5.0.0', 'smtp; 550 5.1.1 <a@example.com>... User unknown')).toEqual({ status: '5.1.1', hard: true });
    expect(hardness('5.0.0 (permanent failure)', "550-'5.2.2 <a@example.com>... Mailbox Full'")).toEqual({ status: '5.2.2', hard: false });
  });

  it('lets the words name another reason for a "no such user" code, as Sisimai does', () => {
    expect(hardness('5.1.1', '550 5.7.1 IP address blacklisted by recipient')).toEqual({ status: '5.1.1', hard: false });
    expect(hardness('5.1.0', '550 5.1.0 <bounce@example.com> sender rejected')).toEqual({ status: '5.1.0', hard: false });
    expect(hardness('5.1.0', '550 5.1.0 192.0.2.1 is not allowed to send from <example.net> per its SPF Record')).toEqual({ status: '5.1.0', hard: false });
    expect(hardness('5.1.1', '552 5.2.2 Mailbox full')).toEqual({ status: '5.1.1', hard: false });
    expect(hardness('5.1.0', 'SMTP error from remote mail server after MAIL FROM:<a@example.com>: 553 5.1.0 does not exist')).toEqual({
      status: '5.1.0',
      hard: false,
    });
    expect(hardness('5.0.0', '550 #5.1.0 Address rejected.')).toEqual({ status: '5.1.0', hard: true });
  });

  it('takes "no such user" at RCPT, or a host that takes no mail, over a policy code', () => {
    expect(
      hardness('5.7.1', '554 5.7.1 <a@example.ch>: Recipient address rejected: Access denied', {
        context: 'SMTP error from remote mail server after RCPT TO:<a@example.ch>',
      }),
    ).toEqual({ status: '5.7.1', hard: true });
    expect(hardness('5.7.1', '554 5.7.1 <a@example.ch>: Recipient address rejected: Access denied')).toEqual({ status: '5.7.1', hard: false });
    expect(hardness('5.7.27', 'SMTP; 550 Host does not accept mail')).toEqual({ status: '5.7.27', hard: true });
    expect(hardness('4.7.27', 'SMTP; 450 Host does not accept mail')).toEqual({ status: '4.7.27', hard: false });
  });

  it("keeps the report's code over the diagnostic's", () => {
    expect(hardness('5.7.1', '550 5.1.1 User Unknown: a@example.com')).toEqual({ status: '5.7.1', hard: false });
  });
});

describe('classify: otherwise the wording decides', () => {
  it('derives a code from the diagnostic text', () => {
    expect(hardness(undefined, 'host said: 552 Mailbox full')).toEqual({ status: '5.2.2', hard: false });
    expect(hardness('5.0.0', 'Host or domain name not found. Name service error for name=example.invalid')).toEqual({ status: '5.1.2', hard: true });
    expect(hardness('5.0.0', 'unknown; No such domain.')).toEqual({ status: '5.1.2', hard: true });
    expect(hardness(undefined, 'The account or domain may not exist, they may be blacklisted')).toEqual({ status: '5.1.2', hard: true });
    expect(hardness('5.5.0', '', { context: 'mail.local: unknown user: kijitora\n554 <a@example.net>... Service unavailable' })).toEqual({
      status: '5.1.1',
      hard: true,
    });
    expect(hardness(undefined, 'Unknown user: a@example.com')).toEqual({ status: '5.1.1', hard: true });
    expect(hardness(undefined, 'User some.name (a@example.jp) not listed in Domino Directory')).toEqual({ status: '5.1.1', hard: true });
    expect(hardness(undefined, "Sorry, I couldn't find a mail exchanger or IP address.")).toEqual({ status: '5.1.2', hard: true });
    expect(hardness(undefined, 'Destination mailbox has moved, No forwarding address')).toEqual({ status: '5.1.6', hard: true });
    expect(hardness(undefined, 'The email account that you tried to reach is disabled')).toEqual({ status: '5.2.1', hard: true });
    expect(hardness(undefined, 'blocked using zen.spamhaus.org')).toEqual({ status: '5.7.1', hard: false });
  });

  it('calls plain "user unknown" hard only when it answered RCPT TO', () => {
    expect(hardness(undefined, '550 <a@example.com>: User unknown (in reply to RCPT TO command)')).toEqual({ status: '5.1.1', hard: true });
    expect(hardness(undefined, '550 Unknown user a@example.com (in reply to end of DATA command)')).toEqual({ status: '5.0.0', hard: false });
    expect(hardness(undefined, '550 <a@example.com>: User unknown')).toEqual({ status: '5.0.0', hard: false });
    expect(hardness('5.0.0', '550 No such user', { context: 'SMTP error from remote mail server after RCPT TO:<a@example.com>' })).toEqual({
      status: '5.1.1',
      hard: true,
    });
  });

  it('calls wording that names the recipient hard in any phase', () => {
    expect(hardness(undefined, 'The recipient name is not recognized')).toEqual({ status: '5.1.1', hard: true });
    expect(hardness('5.0.0', "Your message wasn't delivered to a@example.com because the address couldn't be found.")).toEqual({ status: '5.1.1', hard: true });
    expect(hardness('5.5.0', '550 5.5.0 Invalid recipient. LPN007_416')).toEqual({ status: '5.1.1', hard: true });
  });

  it("reads Microsoft's 5.4.1 and codes outside the registry by their words", () => {
    expect(hardness('5.4.1', '550 5.4.1 <a@example.com>: Recipient address rejected: Access denied')).toEqual({ status: '5.4.1', hard: true });
    expect(hardness('5.4.1', '5.4.1 No answer from host')).toEqual({ status: '5.4.1', hard: false });
    expect(hardness('5.1.351', '550 5.1.351 Remote server returned unknown recipient')).toEqual({ status: '5.1.351', hard: true });
    expect(hardness('5.7.509', '550 5.7.509 Access denied, sending domain does not pass DMARC verification')).toEqual({ status: '5.7.509', hard: false });
  });

  it('never calls a temporary failure hard', () => {
    expect(hardness(undefined, 'Name service error for domain example.com: Host not found, try again')).toEqual({ status: '5.4.3', hard: false });
    expect(hardness(undefined, '450 4.1.2 domain not found')).toEqual({ status: '4.1.2', hard: false });
    expect(hardness(undefined, '421 Host or domain name not found')).toEqual({ status: '4.1.2', hard: false });
    expect(hardness('4.0.0', 'No MX found for domain', { delayed: true })).toEqual({ status: '4.1.2', hard: false });
  });

  it('reads a provider\'s documented code and words together (Outlook.com\'s 5.5.0 "mailbox unavailable")', () => {
    expect(hardness('5.5.0', '550 Requested action not taken: mailbox unavailable (-0000000022:2222)')).toEqual({ status: '5.5.0', hard: true });
    expect(hardness('5.0.0', '550 Requested action not taken: mailbox unavailable')).toEqual({ status: '5.0.0', hard: false });
  });

  it('keeps a vague code when nothing in the words is known', () => {
    expect(hardness('5.0.0', 'smtp; 550 Remote server said no')).toEqual({ status: '5.0.0', hard: false });
    expect(hardness(undefined, '')).toEqual({ status: '5.0.0', hard: false });
    expect(hardness(undefined, '', { delayed: true })).toEqual({ status: '4.0.0', hard: false });
  });
});
