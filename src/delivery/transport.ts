import type { MailMessage } from '../mail/index.js';

/** What a transport receives: the message's parts, its raw MIME, and the envelope. */
export interface OutgoingMessage extends MailMessage {
  envelope: { from: string; to: string };
  raw: Buffer;
  edition: { id: number; day: string; list: string };
  subscriberId: number;
}

export interface SendResult {
  /** The server's answer, e.g. "250 2.0.0 OK queued as 1234". */
  response?: string;
}

/**
 * The one contract every transport implements (smtp, outbox, json, or a module of your own).
 * `send` resolves once the message is accepted; it throws when it is not. A thrown error with a
 * numeric `responseCode` is classified by it (4xx: retry later; 5xx on a recipient: bounce);
 * `permanent: true` marks a failure that retrying cannot fix; anything else is retried.
 */
export interface Transport {
  readonly name: string;
  /** At most this many messages in flight at once (a local transport gains nothing from more). */
  readonly maxInFlight?: number;
  send(message: OutgoingMessage): Promise<SendResult>;
  close?(): Promise<void>;
}

export type FailureKind = 'transient' | 'bounce' | 'reject' | 'fatal';

export interface ClassifiedFailure {
  kind: FailureKind;
  reason: string;
}

interface SmtpLikeError {
  message?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  code?: string;
  permanent?: boolean;
}

/**
 * Is this 5xx about the mailbox itself? Only then does the subscriber bounce. RFC 3463: x.1.*
 * is a bad address, 5.2.1 a disabled mailbox; without an enhanced code, 550/551/553 at RCPT.
 * A 5.7.* (policy: "relay access denied", a blocklist) says nothing about the recipient, and a
 * misconfigured relay answering it for everyone must not bounce the whole list.
 */
function isMailboxFailure(code: number, response: string): boolean {
  const enhanced = /\b5\.(\d{1,3})\.(\d{1,3})\b/.exec(response); // RFC 3463: 5.subject.detail
  if (enhanced) return enhanced[1] === '1' || (enhanced[1] === '2' && enhanced[2] === '1');
  return code === 550 || code === 551 || code === 553;
}

/**
 * Sorts a failed send:
 * - `bounce`: 5xx for the recipient's mailbox at RCPT TO: the address is dead; the subscriber is bounced.
 * - `reject`: any other 5xx for this message (policy at RCPT, content at DATA, or a transport
 *   module's own 5xx): not retried, the subscriber stays.
 * - `fatal`: the server refuses us (5xx on connect, auth or MAIL FROM): stop the run, nothing is failed.
 * - `transient`: 4xx, timeouts, dropped connections: retry with backoff.
 */
export function classifyFailure(error: unknown): ClassifiedFailure {
  const e = (error ?? {}) as SmtpLikeError;
  const reason = (e.response || e.message || String(error)).replace(/\s+/g, ' ').trim().slice(0, 300);
  const code = e.responseCode;
  if (code !== undefined && code >= 500) {
    const command = (e.command ?? '').toUpperCase();
    if (command.startsWith('RCPT')) return { kind: isMailboxFailure(code, reason) ? 'bounce' : 'reject', reason };
    if (command === '' || command.startsWith('DATA')) return { kind: 'reject', reason };
    return { kind: 'fatal', reason };
  }
  if (code !== undefined && code >= 400) return { kind: 'transient', reason };
  if (e.permanent === true) return { kind: 'reject', reason };
  if (e.code === 'EAUTH' || e.code === 'EMESSAGE' || e.code === 'ETLS') return { kind: 'fatal', reason };
  return { kind: 'transient', reason };
}
