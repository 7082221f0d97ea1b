/** Small hand-made messages for the bounce tests: a DSN, or any message from headers and a body. */
export function mail(headers: Record<string, string>, body: string): string {
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `${head.join('\r\n')}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}`;
}

export interface DsnOptions {
  headers?: Record<string, string>;
  notification?: string;
  deliveryStatus: string;
  /** The returned message (message/rfc822) or its headers (text/rfc822-headers). */
  returned?: { type: 'message/rfc822' | 'text/rfc822-headers'; content: string };
}

export function dsn({ headers = {}, notification = 'Your message could not be delivered.', deliveryStatus, returned }: DsnOptions): string {
  const parts = [
    `--B\nContent-Type: text/plain; charset=us-ascii\n\n${notification}\n`,
    `--B\nContent-Type: message/delivery-status\n\n${deliveryStatus}\n`,
    ...(returned ? [`--B\nContent-Type: ${returned.type}\n\n${returned.content}\n`] : []),
  ];
  return mail(
    {
      From: 'MAILER-DAEMON@mx.example.net (Mail Delivery System)',
      To: 'bounces+t0k3n@news.example.org',
      Subject: 'Undelivered Mail Returned to Sender',
      'Message-ID': '<dsn.1@mx.example.net>',
      'MIME-Version': '1.0',
      'Content-Type': 'multipart/report; report-type=delivery-status; boundary="B"',
      ...headers,
    },
    `${parts.join('\n')}--B--\n`,
  );
}

export const returnedHeaders = [
  'From: Paperboy <digest@news.example.org>',
  'To: reader@example.com',
  'Subject: Paperboy Daily Papers',
  'Message-ID: <2026-11-26.42@news.example.org>',
  'List-Id: Paperboy <daily.news.example.org>',
].join('\n');

/** An ARF complaint (RFC 5965): `report` is the message/feedback-report part, `returned` the complained-about message's headers. */
export function arf(report: string, returned = returnedHeaders, headers: Record<string, string> = {}): string {
  return mail(
    {
      From: 'feedback@fbl.example.net',
      To: 'abuse@news.example.org',
      Subject: 'Abuse report',
      'Content-Type': 'multipart/report; report-type=feedback-report; boundary="F"',
      ...headers,
    },
    `--F\nContent-Type: text/plain\n\nA complaint.\n--F\nContent-Type: message/feedback-report\n\n${report}\n--F\nContent-Type: message/rfc822\n\n${returned}\n\nbody\n--F--\n`,
  );
}
