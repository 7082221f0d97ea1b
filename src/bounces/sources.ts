import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { PaperboyError } from '../errors.js';
import { readMbox } from './mbox.js';

export interface IncomingMessage {
  /** Where it came from: a file, `file#n` for the n-th message of an mbox, `-` for standard input. */
  file: string;
  raw: Buffer;
}

const isMboxStart = (head: Buffer) => head.subarray(0, 5).toString('latin1') === 'From ';

async function firstBytes(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(5), 0, 5, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * One file: a single message, or an mbox of many (it starts with a "From " line). A `.eml` file is
 * one message even when it starts with a postmark: saved bounces often quote the returned message
 * with its own unescaped "From " line, which an mbox reader would take for a second message.
 */
async function* fromFile(path: string): AsyncGenerator<IncomingMessage> {
  if (!/\.eml$/i.test(path) && isMboxStart(await firstBytes(path))) {
    for await (const message of readMbox(createReadStream(path))) yield { file: `${path}#${message.number}`, raw: message.raw };
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(path)) chunks.push(chunk as Buffer);
  yield { file: path, raw: Buffer.concat(chunks) };
}

/** A Maildir (its new/ and cur/ messages) or a folder of .eml and mbox files. */
async function* fromFolder(path: string): AsyncGenerator<IncomingMessage> {
  const maildir = ['new', 'cur'].filter((sub) => existsSync(join(path, sub)));
  const folders = maildir.length > 0 ? maildir.map((sub) => join(path, sub)) : [path];
  for (const folder of folders) {
    for (const name of readdirSync(folder)
      .filter((entry) => !entry.startsWith('.'))
      .sort()) {
      const file = join(folder, name);
      if (statSync(file).isFile()) yield* fromFile(file);
    }
  }
}

/** Standard input: a single message (as Postfix's pipe hands one over), or an mbox. */
async function* fromStdin(stdin: NodeJS.ReadableStream): AsyncGenerator<IncomingMessage> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  const data = Buffer.concat(chunks);
  if (isMboxStart(data)) {
    for await (const message of readMbox(Readable.from([data]))) yield { file: `-#${message.number}`, raw: message.raw };
  } else if (data.length > 0) {
    yield { file: '-', raw: data };
  }
}

/** Every message of the given paths (files, mboxes, Maildirs, folders; `-` or nothing: standard input). */
export async function* incomingMessages(paths: readonly string[], stdin: NodeJS.ReadableStream = process.stdin): AsyncGenerator<IncomingMessage> {
  const all = paths.length === 0 ? ['-'] : paths;
  // Every path is checked before the first message is read: a typo in the last one loses no work half done.
  const missing = all.filter((path) => path !== '-' && !existsSync(path));
  if (missing.length > 0) throw new PaperboyError('INPUT', `No such file or folder: ${missing.join(', ')}.`);
  for (const path of all) {
    if (path === '-') {
      yield* fromStdin(stdin);
      continue;
    }
    if (statSync(path).isDirectory()) yield* fromFolder(path);
    else yield* fromFile(path);
  }
}
