/**
 * Who is at fault when a send fails, and so what happens next. The one place this is decided.
 *
 * - `bounce`:   the reader's mailbox is gone. The row fails and the subscriber is bounced.
 * - `reject`:   this one message was refused for good. The row fails; the subscriber stays.
 * - `deferred`: try this message again later (a 4xx for the recipient, a dropped connection).
 *               The attempt counts; after `delivery.maxAttempts` the row fails.
 * - `throttle`: the server wants fewer connections (421). The attempt does not count, and the
 *               pool shrinks for the rest of the run.
 * - `outage`:   the server cannot be reached (refused, DNS, TLS, timeout). The attempt does not
 *               count; a few in a row pause the run, and every row waits for the next run.
 * - `sender`:   the server refuses *us* (auth, MAIL FROM, a bad sender address, relaying). Nothing
 *               any reader did: the run pauses at once and the row waits, never failed.
 * - `policy`:   a policy refusal at RCPT or DATA (5.7.x: blocked, DMARC, not authorised). About us
 *               when it repeats across recipients (the run pauses), about the recipient's server
 *               when others get through (that message is rejected): patterns.ts decides.
 */

import { documentedMeaning, type StatusMeaning, statusMeaning } from '../enhanced-status.js';
import type { FailureKind } from '../ledger/index.js';
import { shortLine } from '../words.js';

export type { FailureKind };

export interface ClassifiedFailure {
  kind: FailureKind;
  /** One line an operator can act on, e.g. "550 5.1.1 No such user" or "connection refused by 127.0.0.1:1". */
  reason: string;
  /** The server did not answer in time (an outage that already cost a timeout's wait). */
  timedOut?: boolean;
}

interface SmtpLikeError {
  message?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  code?: string;
  permanent?: boolean;
}

/** What each meaning of an enhanced code (enhanced-status.ts, shared with bounce reading) does to a send. */
const kindOf: Readonly<Record<StatusMeaning, FailureKind>> = {
  'no-such-mailbox': 'bounce',
  gone: 'bounce',
  'our-sender': 'sender',
  'this-message': 'reject',
  policy: 'policy',
};

/** Words that are about us whatever the code and however few recipients get them: no pattern needed. */
const aboutUs =
  /relay(ing)?\s+(access\s+)?(denied|not\s+permitted|prohibited)|not\s+permitted\s+to\s+relay|authentication\s+(is\s+)?required|must\s+(first\s+)?authenticate/i;

const enhancedCode = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/;

/** The command a failure happened at, as nodemailer names it ('CONN', 'MAIL FROM', 'RCPT TO', 'DATA', …). */
function stageOf(error: SmtpLikeError): 'connection' | 'sender' | 'recipient' | 'data' | 'unknown' {
  const command = (error.command ?? '').toUpperCase();
  if (command === 'CONN' || command === 'GREETING' || command.startsWith('EHLO') || command.startsWith('HELO') || command.startsWith('STARTTLS'))
    return 'connection';
  if (command.startsWith('AUTH') || command.startsWith('MAIL')) return 'sender';
  if (command.startsWith('RCPT')) return 'recipient';
  if (command.startsWith('DATA') || command === 'MESSAGE') return 'data';
  return 'unknown';
}

/** A permanent (5xx) reply: the enhanced code first, the reply code and stage as the fallback. */
function permanent(code: number, response: string, stage: ReturnType<typeof stageOf>): FailureKind {
  if (stage === 'connection' || stage === 'sender' || aboutUs.test(response)) return 'sender';
  const enhanced = enhancedCode.exec(response);
  if (enhanced && enhanced[1] === '5') {
    const status = `${enhanced[1]}.${enhanced[2]}.${enhanced[3]}`;
    const meaning = documentedMeaning(status, response) ?? statusMeaning(status);
    if (meaning) return kindOf[meaning];
  }
  if (stage === 'recipient') {
    if (code === 550 || code === 551 || code === 553) return 'bounce'; // RFC 5321: mailbox unavailable / not local / name not allowed
    if (code === 554) return 'policy'; //                                 "transaction failed" at RCPT: a refusal of us, or of this recipient
  }
  return 'reject';
}

/** Connection-level errors without an SMTP reply, in words that name the cause. */
function outageReason(error: SmtpLikeError, message: string): string | undefined {
  const refused = /ECONNREFUSED\s+(\S+)/.exec(message);
  if (refused) return `connection refused by ${refused[1]}`;
  const dns = /(ENOTFOUND|EAI_AGAIN)\s+(\S+)/.exec(message);
  if (dns) return `DNS lookup failed for ${dns[2]} (${dns[1]})`;
  const unreachable = /(EHOSTUNREACH|ENETUNREACH|ECONNRESET)\s+(\S+)/.exec(message);
  if (unreachable) return `cannot reach ${unreachable[2]} (${unreachable[1]})`;
  if (error.code === 'ETIMEDOUT' || /timed? ?out|never received/i.test(message)) return `no answer from the server in time (${message})`;
  if (error.code === 'ETLS' || /SSL|TLS|certificate|wrong version number/i.test(message)) {
    const detail = /(wrong version number|certificate[^:]*|self[- ]signed[^:]*|unable to verify[^:]*|handshake[^:]*)/i.exec(message)?.[1] ?? message;
    return `TLS failed: ${detail.trim()}`;
  }
  if (error.code === 'EDNS') return `DNS lookup failed (${message})`;
  return undefined;
}

/** Sorts a failed send by who is at fault (see FailureKind). */
export function classifyFailure(error: unknown): ClassifiedFailure {
  const e = (error ?? {}) as SmtpLikeError;
  const message = shortLine(e.message || String(error));
  const reason = shortLine(e.response || message);
  // Authentication failed: whatever codes come with it, no message can go out.
  if (e.code === 'EAUTH') return { kind: 'sender', reason: `authentication failed: ${reason}` };
  // Given up on while it waited for a connection (the run paused): nothing of it went out.
  if (e.code === 'EABORT') return { kind: 'outage', reason: 'not sent: the run paused while it waited for a connection' };
  const code = e.responseCode;
  const stage = stageOf(e);
  if (code !== undefined && code >= 500) return { kind: permanent(code, reason, stage), reason };
  if (code === 421) return { kind: 'throttle', reason };
  if (code !== undefined && code >= 400) return { kind: stage === 'connection' || stage === 'sender' ? 'outage' : 'deferred', reason };
  if (e.permanent === true) return { kind: 'reject', reason };
  if (e.code === 'EMESSAGE') return { kind: 'reject', reason };
  if (stage === 'connection' || stage === 'unknown') {
    const outage = outageReason(e, message);
    if (outage) return { kind: 'outage', reason: outage, ...(outage.startsWith('no answer from the server in time') ? { timedOut: true } : {}) };
  }
  return { kind: 'deferred', reason };
}
