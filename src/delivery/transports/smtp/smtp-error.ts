import type { Reply } from './dialogue.js';

export interface SmtpErrorFields {
  /** ECONNECTION, ETIMEDOUT, ETLS, EAUTH, EENVELOPE, EMESSAGE, EPROTOCOL, EABORT: as nodemailer named them, which failures.ts reads. */
  code: string;
  /** The command the failure answered ('CONN', 'EHLO', 'MAIL FROM', 'RCPT TO', 'DATA', …). */
  command: string;
  responseCode?: number;
  response?: string;
  /** Not a byte of this message reached the server: it may go out through another connection or relay. */
  nothingSent?: boolean;
  /** After a 421 the pool took one connection fewer: this many from now on. */
  connectionsLoweredTo?: number;
}

/** A failed SMTP exchange, in the shape classifyFailure (failures.ts) sorts. */
export class SmtpError extends Error {
  code: string;
  command: string;
  responseCode?: number;
  response?: string;
  nothingSent?: boolean;
  connectionsLoweredTo?: number;

  constructor(message: string, fields: SmtpErrorFields) {
    super(message);
    this.code = fields.code;
    this.command = fields.command;
    if (fields.responseCode !== undefined) this.responseCode = fields.responseCode;
    if (fields.response !== undefined) this.response = fields.response;
    if (fields.nothingSent) this.nothingSent = true;
    if (fields.connectionsLoweredTo !== undefined) this.connectionsLoweredTo = fields.connectionsLoweredTo;
  }

  /** The server's refusal of `command`. */
  static refused(reply: Reply, command: string, code: string): SmtpError {
    return new SmtpError(`${command} refused: ${reply.text}`, { code, command, responseCode: reply.code, response: reply.text });
  }

  /** A socket's own error (refused, reset, DNS, TLS), with the words failures.ts looks for kept in the message. */
  static fromSocket(error: NodeJS.ErrnoException, command: string): SmtpError {
    const tls = /SSL|TLS|certificate|CERT_|self[- ]signed|wrong version number/i.test(`${error.code} ${error.message}`);
    return new SmtpError(error.message, { code: tls ? 'ETLS' : error.code === 'ETIMEDOUT' ? 'ETIMEDOUT' : 'ECONNECTION', command });
  }

  /** The same failure, as the answer to another command still waiting for its reply. */
  at(command: string): SmtpError {
    if (command === this.command) return this;
    return new SmtpError(this.message, { ...this.fields(), command });
  }

  /** The same failure, marked as one that sent nothing of its message. */
  unsent(): SmtpError {
    return new SmtpError(this.message, { ...this.fields(), nothingSent: true });
  }

  private fields(): SmtpErrorFields {
    return {
      code: this.code,
      command: this.command,
      ...(this.responseCode !== undefined ? { responseCode: this.responseCode } : {}),
      ...(this.response !== undefined ? { response: this.response } : {}),
      ...(this.nothingSent ? { nothingSent: true } : {}),
      ...(this.connectionsLoweredTo !== undefined ? { connectionsLoweredTo: this.connectionsLoweredTo } : {}),
    };
  }
}
