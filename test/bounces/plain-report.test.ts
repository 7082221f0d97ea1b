import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type MailParts, readMime } from '../../src/bounces/mime.js';
import { readPlainReport } from '../../src/bounces/plain-report.js';
import { repairMime } from '../../src/bounces/repair.js';
import { dsn } from './mails.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'bounces', 'mail');
const comparable = (parts: MailParts) => ({ ...parts, headers: [...parts.headers], text: parts.text.replace(/\r\n/g, '\n').trimEnd() });
const plainDsn = (override: Partial<Parameters<typeof dsn>[0]> = {}) =>
  dsn({ deliveryStatus: 'Final-Recipient: rfc822; a@example.com\nAction: failed\nStatus: 5.1.1', ...override });

describe('the plain multipart/report fast path', () => {
  it('reads every fixture it takes exactly as mailparser does', async () => {
    let taken = 0;
    for (const file of readdirSync(dir)) {
      const raw = repairMime(readFileSync(join(dir, file)));
      const fast = readPlainReport(raw);
      if (!fast) continue;
      taken++;
      expect(comparable(fast), file).toEqual(comparable(await readMime(raw)));
    }
    // Most DSNs are plain: if this drops, the fast path stopped applying where it should.
    expect(taken).toBeGreaterThanOrEqual(40);
  });

  it('takes a plain DSN', () => {
    const parts = readPlainReport(Buffer.from(plainDsn()));
    expect(parts?.deliveryStatus).toEqual(['Final-Recipient: rfc822; a@example.com\r\nAction: failed\r\nStatus: 5.1.1']);
    expect(parts?.text).toBe('Your message could not be delivered.\n');
  });

  it('leaves to mailparser whatever it does not fully understand', () => {
    const refused = [
      plainDsn({ headers: { Subject: '=?UTF-8?B?w5xiZXI=?=' } }), // an encoded word
      plainDsn({ headers: { 'Content-Type': 'multipart/mixed; boundary="B"' } }), // not a report
      plainDsn({ headers: { 'Content-Transfer-Encoding': 'base64' } }),
      plainDsn({ notification: 'x' }).replace('Content-Type: text/plain; charset=us-ascii', 'Content-Type: text/plain; charset=iso-2022-jp'),
      plainDsn().replace('Content-Type: text/plain; charset=us-ascii', 'Content-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable'),
      plainDsn().replace('Content-Type: text/plain; charset=us-ascii', 'Content-Type: multipart/alternative; boundary="C"'),
      plainDsn().replace('--B--', '--B'), // never closed
    ];
    for (const raw of refused) expect(readPlainReport(Buffer.from(raw)), raw.slice(0, 400)).toBeUndefined();
    expect(readPlainReport(Buffer.from([0xff, 0xfe, 0x0a]))).toBeUndefined();
  });
});
