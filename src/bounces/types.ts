export type BounceKind = 'bounce' | 'complaint' | 'auto-reply' | 'not-bounce';

export interface FailedRecipient {
  /** Lower-cased, without `rfc822;` or angle brackets. */
  email: string;
  /** Enhanced status code (RFC 3463): the report's own, else one found in or derived from its text. */
  status: string;
  /** The mailbox is gone (unknown user or domain, moved): stop mailing it. Soft: try again later. */
  hard: boolean;
  action: 'failed' | 'delayed';
  /** The diagnostic text, one line, at most 300 characters. */
  reason: string;
}

export interface Complaint {
  /** RFC 5965 Feedback-Type: abuse, fraud, virus, auth-failure, not-spam, other… */
  feedbackType: string;
  /** Original-Rcpt-To: the reader who complained, when the report names them. */
  recipient?: string;
  userAgent?: string;
}

/** Headers of the returned original message, by lower-case name. */
export type OriginalHeaders = Partial<Record<'message-id' | 'to' | 'from' | 'subject' | 'list-id' | 'list-unsubscribe' | 'return-path', string>>;

export interface BounceVerdict {
  kind: BounceKind;
  /** Failed or delayed recipients; filled for bounces only. */
  recipients: FailedRecipient[];
  complaint?: Complaint;
  /** What recognised it: `dsn` (RFC 3464), `arf` (RFC 5965), an MTA's free-text format, `auto-reply`… */
  format: string;
  /**
   * The envelope recipient of this report, i.e. our return path (VERP: `bounces+TOKEN@…`), from
   * X-Original-To, Envelope-To, Delivered-To or To; else the original MAIL FROM if quoted.
   */
  returnPath?: string;
  /**
   * The returned message's own envelope sender, when the report names it apart from where it was
   * sent (an ARF's Original-Mail-From, a DSN's X-Postfix-Sender, the quoted Return-Path): a
   * complaint mailed to a fixed feedback address still carries our VERP return path here.
   */
  originalSender?: string;
  /** Message-ID of the returned original message, angle brackets kept. */
  originalMessageId?: string;
  originalHeaders?: OriginalHeaders;
  /** This report's own Message-ID, or `sha256:<hex>` of the raw message when it has none. */
  messageId: string;
}
