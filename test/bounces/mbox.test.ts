import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type MboxMessage, mboxEntry, readMbox } from '../../src/bounces/index.js';

async function split(chunks: Array<string | Buffer>): Promise<Array<Omit<MboxMessage, 'raw'> & { raw: string }>> {
  const out = [];
  for await (const message of readMbox(Readable.from(chunks.map((chunk) => Buffer.from(chunk))))) out.push({ ...message, raw: message.raw.toString('utf8') });
  return out;
}

/** Every way of cutting `text` into pieces of `size` bytes: chunk edges must not matter. */
const cut = (text: string, size: number) => Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));

const mbox = [
  'From MAILER-DAEMON Thu Nov 26 06:00:00 2026',
  'Subject: one',
  '',
  'first body',
  '>From the start, a quoted line',
  '>>From twice quoted',
  'From here on, a line that follows no blank line stays',
  '',
  'From postmaster@example.net Thu Nov 26 06:00:01 2026',
  'Subject: two',
  '',
  'second body',
  '',
].join('\n');

describe('readMbox', () => {
  it('splits on From lines after a blank line and unquotes >From one level (mboxrd)', async () => {
    expect(await split([mbox])).toEqual([
      {
        number: 1,
        postmark: 'From MAILER-DAEMON Thu Nov 26 06:00:00 2026',
        raw: 'Subject: one\n\nfirst body\nFrom the start, a quoted line\n>From twice quoted\nFrom here on, a line that follows no blank line stays\n',
      },
      { number: 2, postmark: 'From postmaster@example.net Thu Nov 26 06:00:01 2026', raw: 'Subject: two\n\nsecond body\n' },
    ]);
  });

  it('gives the same messages however the stream is chunked', async () => {
    const whole = await split([mbox]);
    for (const size of [1, 2, 5, 7, 64]) expect(await split(cut(mbox, size))).toEqual(whole);
  });

  it('reads a short line after a blank one at the very end of the data (no reading past it)', async () => {
    const text = 'From a Thu Nov 26 06:00:00 2026\nSubject: x\n\nok\n';
    for (const size of [text.length, 3]) expect((await split(cut(text, size))).map((message) => message.raw)).toEqual(['Subject: x\n\nok\n']);
  });

  it('keeps CRLF line ends and a last message without a final newline', async () => {
    const messages = await split([
      'From a Thu Nov 26 06:00:00 2026\r\nSubject: x\r\n\r\nbody\r\n\r\nFrom b Thu Nov 26 06:00:00 2026\r\nSubject: y\r\n\r\nlast',
    ]);
    expect(messages.map((m) => m.raw)).toEqual(['Subject: x\r\n\r\nbody\r\n', 'Subject: y\r\n\r\nlast']);
    expect(messages[0]!.postmark).toBe('From a Thu Nov 26 06:00:00 2026');
  });

  it('reads nothing from an empty file or from text before the first postmark', async () => {
    expect(await split([])).toEqual([]);
    expect(await split(['not an mbox\n'])).toEqual([]);
  });

  it('reads back what mboxEntry wrote', async () => {
    const raws = ['Subject: a\n\nFrom the top\n>From quoted\n', 'Subject: b\r\n\r\nno newline at the end'];
    const file = raws.map((raw, i) => mboxEntry(raw, `sender${i}@example.net`, new Date(Date.UTC(2026, 10, 6, 7, 8, 9)))).join('');
    expect(file.startsWith('From sender0@example.net Fri Nov  6 07:08:09 2026\n')).toBe(true);
    expect((await split([file])).map((m) => m.raw)).toEqual(['Subject: a\n\nFrom the top\n>From quoted\n', 'Subject: b\r\n\r\nno newline at the end\n']);
  });
});
