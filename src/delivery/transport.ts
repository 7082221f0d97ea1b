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
 * Sorts a failed send:
 * - `bounce`: 5xx for the recipient (RCPT TO): the address is dead; the subscriber is bounced.
 * - `reject`: 5xx for this message (e.g. at DATA): not retried, the subscriber stays.
 * - `fatal`: the server refuses us (5xx on connect, auth or MAIL FROM): stop the run, nothing is failed.
 * - `transient`: 4xx, timeouts, dropped connections: retry with backoff.
 */
export function classifyFailure(error: unknown): ClassifiedFailure {
  const e = (error ?? {}) as SmtpLikeError;
  const reason = (e.response || e.message || String(error)).replace(/\s+/g, ' ').trim().slice(0, 300);
  const code = e.responseCode;
  if (code !== undefined && code >= 500) {
    const command = (e.command ?? '').toUpperCase();
    if (command.startsWith('RCPT')) return { kind: 'bounce', reason };
    if (command === 'DATA' || command.startsWith('DATA') || command === '') return { kind: command ? 'reject' : 'bounce', reason };
    return { kind: 'fatal', reason };
  }
  if (code !== undefined && code >= 400) return { kind: 'transient', reason };
  if (e.permanent === true) return { kind: 'reject', reason };
  if (e.code === 'EAUTH' || e.code === 'EMESSAGE' || e.code === 'ETLS') return { kind: 'fatal', reason };
  return { kind: 'transient', reason };
}
