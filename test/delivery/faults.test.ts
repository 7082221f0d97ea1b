import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, tempDir } from '../helpers/cli.js';
import { ledgerStatuses, prepareSend, sendCli, subscriberStatus } from '../helpers/send.js';
import { startSink } from '../helpers/smtp-sink.js';

const dir = tempDir();
afterAll(dir.remove);

describe('a faulty SMTP server', () => {
  it('gets every non-550 recipient the edition, bounces the 550s, and bounds the attempts', async () => {
    const emails = [
      ...Array.from({ length: 20 }, (_, i) => `ok${i}@example.org`),
      ...Array.from({ length: 5 }, (_, i) => `busy${i}@example.org`),
      ...Array.from({ length: 3 }, (_, i) => `gone${i}@example.org`),
      ...Array.from({ length: 3 }, (_, i) => `drop${i}@example.org`),
    ];
    const sink = await startSink({
      rcpt: (address, attempt) => (address.startsWith('gone') ? 550 : address.startsWith('busy') && attempt === 1 ? 451 : undefined),
      dropDuring: (recipients, attempt) => recipients[0]!.startsWith('drop') && attempt === 1,
    });
    try {
      await prepareSend(dir.path, emails, {
        source: `file:${fixture('2026-08-21')}`,
        transport: sink.url,
        delivery: { retryBaseMs: 50, maxAttempts: 4, concurrency: 4, maxConnections: 2 },
      });
      const result = await sendCli(dir.path);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const summary = JSON.parse(result.stdout);
      expect(summary).toMatchObject({ failed: 3, bounced: 3, complete: true });

      const delivered = sink.received.map((mail) => mail.to[0]!);
      const expected = emails.filter((email) => !email.startsWith('gone'));
      expect([...delivered].sort()).toEqual([...expected].sort()); // each exactly once
      for (const mail of sink.received.slice(0, 3)) {
        const parsed = await simpleParser(mail.raw);
        expect(parsed.subject).toMatch(/ · 21 Aug 2026$/); // the digest of the day: subjects lead with the top paper
      }
      for (let i = 0; i < 3; i++) {
        expect(subscriberStatus(join(dir.path, 'data'), `gone${i}@example.org`)).toBe('bounced');
        expect(sink.attempts.get(`gone${i}@example.org`)).toBe(1); // a 5xx is never retried
      }
      for (let i = 0; i < 5; i++) expect(sink.attempts.get(`busy${i}@example.org`)).toBe(2);
      expect(ledgerStatuses(join(dir.path, 'data'))).toEqual({ sent: 28, failed: 3 });
    } finally {
      await sink.close();
    }
  });
});
