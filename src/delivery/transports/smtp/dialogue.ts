import { StringDecoder } from 'node:string_decoder';
import type { Socket } from 'node:net';
import { SmtpError } from './smtp-error.js';

/** One SMTP reply: its code and every line of it, joined by newlines as nodemailer joined them. */
export interface Reply {
  code: number;
  text: string;
}

/** No server needs more than this for one reply; more is a broken or hostile peer. */
const maxReplyLength = 64 * 1024;

/**
 * Commands out, replies in, matched in order (RFC 5321 §4.2; RFC 2920 keeps that order when
 * commands are pipelined). `expect()` is the next reply not yet claimed; replies that arrive
 * before anyone asks wait in order. A closed, failed or silent connection fails every reply
 * still expected with the same error, and every later `expect()` too.
 */
export class Dialogue {
  private readonly decoder = new StringDecoder('utf8');
  private buffer = '';
  private lines: string[] = [];
  private readonly arrived: Reply[] = [];
  private readonly waiting: { resolve: (reply: Reply) => void; reject: (error: SmtpError) => void; command: string }[] = [];
  private failure: SmtpError | undefined;
  /** Called once when the connection fails or closes. */
  onClosed: ((error: SmtpError) => void) | undefined;

  constructor(
    readonly socket: Socket,
    private readonly idleTimeoutMs: number,
  ) {
    socket.on('data', this.onData);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
    socket.setTimeout(idleTimeoutMs, this.onSilence);
  }

  private readonly onData = (chunk: Buffer) => this.read(chunk);
  private readonly onError = (error: NodeJS.ErrnoException) => this.fail(SmtpError.fromSocket(error, this.currentCommand()));
  private readonly onClose = () => this.fail(new SmtpError('the server closed the connection', { code: 'ECONNECTION', command: this.currentCommand() }));
  private readonly onSilence = () => {
    // Silence matters only while a reply is awaited; an idle connection may sit quietly.
    if (this.waiting.length === 0) return;
    this.fail(new SmtpError(`no answer from the server within ${this.idleTimeoutMs / 1000} s`, { code: 'ETIMEDOUT', command: this.currentCommand() }));
    this.socket.destroy();
  };

  /** Lets go of the socket (STARTTLS hands it to a TLS socket), leaving it open. */
  release(): void {
    this.socket.off('data', this.onData);
    this.socket.off('error', this.onError);
    this.socket.off('close', this.onClose);
    this.socket.setTimeout(0);
    this.socket.off('timeout', this.onSilence);
  }

  get closed(): boolean {
    return this.failure !== undefined;
  }

  /** How many replies are still expected. */
  get outstanding(): number {
    return this.waiting.length;
  }

  write(data: string | Buffer): void {
    if (!this.failure) this.socket.write(data);
  }

  /** Writes the parts as one: one system call, not one per part. */
  writeAll(parts: Buffer[]): void {
    if (this.failure) return;
    this.socket.cork();
    for (const part of parts) this.socket.write(part);
    process.nextTick(() => this.socket.uncork());
  }

  /** The next reply, for `command` (named in errors, as failures.ts reads them). */
  expect(command: string): Promise<Reply> {
    const ready = this.arrived.shift();
    if (ready) return Promise.resolve(ready);
    if (this.failure) return Promise.reject(this.failure.at(command));
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject, command }));
  }

  /** Writes one command and waits for its reply. */
  command(line: string, name = line.split(' ')[0]!): Promise<Reply> {
    this.write(`${line}\r\n`);
    return this.expect(name);
  }

  /** Ends the session politely when it still stands; the socket closes either way. */
  quit(): void {
    if (this.failure) return;
    this.socket.end('QUIT\r\n');
    this.socket.setTimeout(2000, () => this.socket.destroy());
  }

  destroy(): void {
    this.socket.destroy();
  }

  private currentCommand(): string {
    return this.waiting[0]?.command ?? 'CONN';
  }

  private read(chunk: Buffer): void {
    this.buffer += this.decoder.write(chunk);
    for (let end = this.buffer.indexOf('\n'); end !== -1; end = this.buffer.indexOf('\n')) {
      const line = this.buffer.slice(0, end).replace(/\r$/, '');
      this.buffer = this.buffer.slice(end + 1);
      this.lines.push(line);
      if (line.length >= 4 && line[3] === '-') continue; // more lines of this reply follow
      const code = Number(line.slice(0, 3));
      this.deliver({ code: Number.isInteger(code) ? code : 0, text: this.lines.join('\n') });
      this.lines = [];
    }
    if (this.buffer.length > maxReplyLength) {
      this.fail(new SmtpError('the server sent a reply line longer than 64 KB', { code: 'EPROTOCOL', command: this.currentCommand() }));
      this.socket.destroy();
    }
  }

  private deliver(reply: Reply): void {
    const waiter = this.waiting.shift();
    if (waiter) waiter.resolve(reply);
    else this.arrived.push(reply);
  }

  private fail(error: SmtpError): void {
    if (this.failure) return;
    this.failure = error;
    for (const waiter of this.waiting.splice(0)) waiter.reject(error.at(waiter.command));
    this.onClosed?.(error);
  }
}
