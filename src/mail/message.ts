/** Everything one outgoing email needs; transports receive this plus its raw MIME (buildRawMessage). */
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
