import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { PaperboyError } from '../errors.js';

/**
 * A line typed at the terminal without showing it (a password): readline edits the line as
 * usual, but its echo goes nowhere. The prompt goes to stderr, so stdout carries only the result.
 */
export async function readHidden(prompt: string): Promise<string> {
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const lines = createInterface({ input: process.stdin, output: silent, terminal: true });
  process.stderr.write(prompt);
  try {
    return await new Promise<string>((resolve, reject) => {
      lines.on('SIGINT', () => reject(new PaperboyError('INTERRUPTED', 'Stopped; nothing was printed.')));
      lines.on('close', () => reject(new PaperboyError('INPUT', 'No password was typed.')));
      lines.question('', resolve);
    });
  } finally {
    lines.removeAllListeners('close');
    lines.close();
    process.stderr.write('\n');
  }
}

/** Everything piped to standard input, as one line: its last line break (what `echo` adds) taken off. */
export async function readPipedLine(): Promise<string> {
  return (await text(process.stdin)).replace(/\r?\n$/, '');
}
