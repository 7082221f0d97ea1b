import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { incomingMessages, mboxEntry } from '../../src/bounces/index.js';
import { tempDir } from '../helpers/files.js';

const dir = tempDir('paperboy-bounce-sources-');
afterAll(dir.remove);

const one = (subject: string) => `Subject: ${subject}\n\nbody\n`;
async function read(paths: string[], stdin: string = '') {
  const out: Array<{ file: string; subject: string }> = [];
  for await (const message of incomingMessages(paths, Readable.from([Buffer.from(stdin)]))) {
    out.push({ file: message.file.replace(dir.path, ''), subject: /^Subject: (.*)$/m.exec(message.raw.toString())?.[1] ?? '' });
  }
  return out;
}

describe('where bounces are read from', () => {
  it('reads a Maildir (new and cur, not tmp), an mbox message by message, and a .eml as one message even with a postmark', async () => {
    const maildir = join(dir.path, 'Maildir');
    for (const sub of ['new', 'cur', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
    writeFileSync(join(maildir, 'new', '1.host'), one('new one'));
    writeFileSync(join(maildir, 'cur', '2.host:2,S'), one('seen one'));
    writeFileSync(join(maildir, 'tmp', '3.host'), one('half written'));
    const mbox = join(dir.path, 'bounces.mbox');
    writeFileSync(mbox, mboxEntry(one('first')) + mboxEntry(one('second')));
    const eml = join(dir.path, 'saved.eml');
    writeFileSync(eml, `From MAILER-DAEMON Sat Oct  4 08:00:09 2025\n${one('saved')}\nFrom bounce@example.net Sat Oct  4 08:00:07 2025\nquoted\n`);
    expect(await read([maildir, mbox, eml])).toEqual([
      { file: '/Maildir/new/1.host', subject: 'new one' },
      { file: '/Maildir/cur/2.host:2,S', subject: 'seen one' },
      { file: '/bounces.mbox#1', subject: 'first' },
      { file: '/bounces.mbox#2', subject: 'second' },
      { file: '/saved.eml', subject: 'saved' },
    ]);
  });

  it('reads standard input as one message, or as an mbox when it is one', async () => {
    expect(await read(['-'], one('piped'))).toEqual([{ file: '-', subject: 'piped' }]);
    expect(await read([], mboxEntry(one('a')) + mboxEntry(one('b')))).toEqual([
      { file: '-#1', subject: 'a' },
      { file: '-#2', subject: 'b' },
    ]);
  });

  it('names every missing path before reading anything', async () => {
    const mbox = join(dir.path, 'bounces.mbox');
    await expect(read([mbox, join(dir.path, 'nope'), join(dir.path, 'nor-this')])).rejects.toThrow(/No such file or folder: .*nope, .*nor-this\./);
  });
});
