import { describe, expect, it } from 'vitest';
import { isAutoReply } from '../../src/bounces/auto-reply.js';
import { parseBounce } from '../../src/bounces/index.js';
import { dsn, mail } from './mails.js';

const headers = (fields: Record<string, string>) => new Map(Object.entries(fields).map(([name, value]) => [name.toLowerCase(), [value]]));

describe('isAutoReply', () => {
  it('follows RFC 3834 Auto-Submitted: auto-replied, not auto-generated or no', () => {
    expect(isAutoReply(headers({ 'Auto-Submitted': 'auto-replied' }), 'Re: hello')).toBe(true);
    expect(isAutoReply(headers({ 'Auto-Submitted': 'auto-replied; owner-email="a@example.com"' }), 'Re: hello')).toBe(true);
    expect(isAutoReply(headers({ 'Auto-Submitted': 'auto-generated' }), 'Your invoice')).toBe(false);
    expect(isAutoReply(headers({ 'Auto-Submitted': 'no' }), 'Re: hello')).toBe(false);
  });

  it('knows the older vacation headers', () => {
    expect(isAutoReply(headers({ 'X-Autoreply': 'yes' }), 'Re: hello')).toBe(true);
    expect(isAutoReply(headers({ 'X-Autorespond': 'Away' }), 'Re: hello')).toBe(true);
    expect(isAutoReply(headers({ Precedence: 'auto_reply' }), 'Re: hello')).toBe(true);
    expect(isAutoReply(headers({ Precedence: 'bulk' }), 'Re: hello')).toBe(false);
  });

  it('knows out-of-office subjects', () => {
    for (const subject of [
      'Out of Office: Paperboy Daily Papers',
      'Automatic reply: Paperboy',
      'Auto: Paperboy',
      'AutoReply: x',
      'Abwesenheitsnotiz: x',
      'Réponse automatique : x',
      'On vacation',
    ]) {
      expect(isAutoReply(headers({}), subject)).toBe(true);
    }
    expect(isAutoReply(headers({}), 'Re: Paperboy Daily Papers')).toBe(false);
  });
});

describe('parseBounce: auto-replies and ordinary mail', () => {
  it('reads a DSN as a bounce even with Auto-Submitted: auto-replied, as many MTAs send it', async () => {
    const verdict = await parseBounce(
      dsn({ headers: { 'Auto-Submitted': 'auto-replied' }, deliveryStatus: 'Final-Recipient: rfc822; a@example.com\nAction: failed\nStatus: 5.1.1' }),
    );
    expect(verdict.kind).toBe('bounce');
  });

  it('reads an out-of-office reply as an auto-reply, with no recipients', async () => {
    const verdict = await parseBounce(
      mail(
        { From: 'Ada <ada@example.com>', To: 'digest@news.example.org', Subject: 'Out of Office: Paperboy Daily Papers', 'Auto-Submitted': 'auto-replied' },
        'I am away until Monday.',
      ),
    );
    expect(verdict).toMatchObject({ kind: 'auto-reply', recipients: [], format: 'rfc3834' });
  });

  it("reads a reader's reply, even one that mentions a failure, as not a bounce", async () => {
    const verdict = await parseBounce(
      mail(
        { From: 'Ada <ada@example.com>', To: 'digest@news.example.org', Subject: 'Re: Paperboy Daily Papers' },
        'Thanks! The link to the third paper could not be delivered to my reader app though.',
      ),
    );
    expect(verdict).toMatchObject({ kind: 'not-bounce', recipients: [] });
  });

  it('reads an ordinary message with a message/rfc822 attachment as not a bounce', async () => {
    const raw = mail(
      { From: 'ada@example.com', To: 'digest@news.example.org', Subject: 'Fwd: this one', 'Content-Type': 'multipart/mixed; boundary="M"' },
      '--M\nContent-Type: text/plain\n\nSee attached.\n--M\nContent-Type: message/rfc822\n\nFrom: MAILER-DAEMON@example.net\nSubject: Undelivered Mail\n\n<x@example.com>: User unknown\n--M--\n',
    );
    expect((await parseBounce(raw)).kind).toBe('not-bounce');
  });
});
