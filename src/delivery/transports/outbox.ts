import { mkdirSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { OutgoingMessage, SendResult, Transport } from '../transport.js';

/**
 * The file a message lands in: one folder per edition, one file per message, named after its
 * Message-ID (which carries the store's id), so two stores sharing an outbox never overwrite
 * each other's files and a message sent again replaces its own.
 */
export const outboxFileName = (message: Pick<OutgoingMessage, 'edition' | 'messageId'>): string =>
  join(`${message.edition.day}-${message.edition.list}`, `${message.messageId.replace(/^<|@[^@]*$/g, '').replace(/[^A-Za-z0-9._-]/g, '_')}.eml`);

/**
 * `outbox:DIR`: one `.eml` per message, written to a temporary name and renamed, so a crash
 * never leaves half a message. Sending again overwrites the same file: no duplicates.
 */
export function outboxTransport(dir: string): Transport {
  const root = resolve(dir);
  const made = new Set<string>();
  return {
    name: `outbox:${dir}`,
    maxInFlight: 8,
    async send(message: OutgoingMessage): Promise<SendResult> {
      const file = join(root, outboxFileName(message));
      const folder = join(file, '..');
      if (!made.has(folder)) {
        mkdirSync(folder, { recursive: true, mode: 0o700 });
        made.add(folder);
      }
      const temporary = `${file}.${process.pid}.tmp`;
      // 0600: a message holds links that never expire (unsubscribe, preferences).
      await writeFile(temporary, message.raw, { mode: 0o600 });
      await rename(temporary, file);
      return { response: `written ${file}` };
    },
  };
}
