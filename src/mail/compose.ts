import MailComposer from 'nodemailer/lib/mail-composer';

/** Everything one outgoing email needs; transports receive this plus its raw MIME. */
export interface MailMessage {
  from: string;
  to: string;
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
  /** With angle brackets, e.g. "<2026-08-21.42@paperboy.localhost>". */
  messageId: string;
  date: Date;
  /** Extra headers (List-Id, List-Unsubscribe, List-Unsubscribe-Post, …), already header-safe. */
  headers?: Record<string, string>;
}

/**
 * The complete RFC 5322 message: multipart/alternative with the text part first, built by
 * nodemailer's composer so encoding and folding are done right.
 */
export function buildMime(message: MailMessage): Promise<Buffer> {
  const composer = new MailComposer({
    from: message.from,
    to: message.to,
    ...(message.replyTo ? { replyTo: message.replyTo } : {}),
    subject: message.subject,
    text: message.text,
    html: message.html,
    messageId: message.messageId,
    date: message.date,
    headers: message.headers ?? {},
  });
  return new Promise((resolve, reject) => {
    composer.compile().build((error, raw) => (error ? reject(error) : resolve(raw)));
  });
}
