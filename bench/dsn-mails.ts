/**
 * Realistic delivery status notifications for bench:bounces: multipart/report with a text part,
 * a message/delivery-status part (one to three recipients) and the returned message's headers,
 * in the shapes of Postfix, Sendmail and Exchange, with varying codes and wordings. The
 * Exchange ones carry their notice as quoted-printable text and HTML, as Microsoft 365 sends it,
 * so they take mailparser's path rather than the plain-report one.
 */
const failures = [
  { status: '5.1.1', action: 'failed', diagnostic: 'smtp; 550 5.1.1 <{to}>: Recipient address rejected: User unknown in local recipient table' },
  { status: '5.2.2', action: 'failed', diagnostic: 'smtp; 552 5.2.2 <{to}>: Mailbox full, quota exceeded' },
  { status: '4.4.1', action: 'delayed', diagnostic: 'smtp; 421 4.4.1 Connection timed out' },
  { status: '5.7.1', action: 'failed', diagnostic: 'smtp; 554 5.7.1 Service unavailable; client host [192.0.2.7] blocked using zen.spamhaus.org' },
  { status: '5.0.0', action: 'failed', diagnostic: 'smtp; 550 <{to}>... No such user (in reply to RCPT TO command)' },
  { status: '5.4.4', action: 'failed', diagnostic: 'smtp; 550 5.4.4 Host or domain name not found. Name service error for name={domain} type=MX' },
];

const reporters = [
  {
    mta: 'Postfix',
    from: 'MAILER-DAEMON@mx.example.net (Mail Delivery System)',
    subject: 'Undelivered Mail Returned to Sender',
    headersType: 'message/rfc822',
  },
  {
    mta: 'Sendmail',
    from: 'Mail Delivery Subsystem <MAILER-DAEMON@relay.example.com>',
    subject: 'Returned mail: see transcript for details',
    headersType: 'text/rfc822-headers',
  },
  { mta: 'Exchange', from: 'postmaster@outlook.example.org', subject: 'Undeliverable: Paperboy Daily Papers', headersType: 'text/rfc822-headers' },
];

export interface GeneratedDsn {
  raw: string;
  recipients: string[];
  /** Plain 7bit parts only (Postfix, Sendmail), or an encoded notice (Exchange). */
  plain: boolean;
}

function notice(reporter: (typeof reporters)[number], recipients: string[], i: number): string[] {
  const said = recipients.map((to) => `<${to}>: host mx.${to.split('@')[1]}[192.0.2.${i % 250}] said: 550 delivery failed (in reply to RCPT TO command)`);
  if (reporter.mta !== 'Exchange') {
    return [
      'Content-Description: Notification',
      'Content-Type: text/plain; charset=us-ascii',
      '',
      'This is the mail system at host mx.example.net.',
      '',
      "I'm sorry to have to inform you that your message could not",
      "be delivered to one or more recipients. It's attached below.",
      '',
      ...said,
    ];
  }
  const text = `Delivery has failed to these recipients or groups:=0D=0A=0D=0A${recipients.join('=0D=0A')}=0D=0AThe email address you entered couldn=E2=80=99t be found.`;
  const html = `<html><body><p>Delivery has failed to these recipients or groups:</p>${recipients.map((to) => `<p><a href=3D"mailto:${to}">${to}</a></p>`).join('')}</body></html>`;
  return [
    'Content-Type: multipart/alternative; boundary="alt"',
    '',
    '--alt',
    'Content-Type: text/plain; charset="utf-8"',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    text,
    '--alt',
    'Content-Type: text/html; charset="utf-8"',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    html,
    '--alt--',
  ];
}

/** The reader of the i-th DSN when it answers a message really sent (one recipient each, as a VERP send gives). */
export const sentReader = (i: number) => `reader${i}@example${i % 97}.org`;

/**
 * The i-th DSN. Alone: one to three recipients and a made-up return path and Message-ID (for
 * parsing). With `sent`: the report of the message really sent to sentReader(i), back at its
 * VERP return path and quoting its Message-ID, as a receiving server writes it.
 */
export function generateDsn(i: number, sent?: { returnPath: string; messageId: string }): GeneratedDsn {
  const reporter = reporters[i % reporters.length]!;
  const count = sent ? 1 : 1 + (i % 7 === 0 ? 2 : i % 5 === 0 ? 1 : 0);
  const recipients = sent ? [sentReader(i)] : Array.from({ length: count }, (_, k) => `reader${i * 3 + k}@example${(i + k) % 97}.org`);
  const token = (i * 2654435761).toString(36);
  const returnPath = sent?.returnPath ?? `bounces+${token}@news.example.org`;
  const messageId = sent?.messageId ?? `<2026-11-26.${i}@news.example.org>`;
  const boundary = `${token}.${i}/mx.example.net`;
  const date = new Date(Date.UTC(2026, 10, 26, 6, 0, i % 60)).toUTCString().replace('GMT', '+0000');
  const groups = recipients.map((to, k) => {
    const failure = failures[(i + k) % failures.length]!;
    const diagnostic = failure.diagnostic.replace('{to}', to).replace('{domain}', to.split('@')[1]!);
    return [
      `Final-Recipient: rfc822; ${to}`,
      `Original-Recipient: rfc822;${to}`,
      `Action: ${failure.action}`,
      `Status: ${failure.status}`,
      `Remote-MTA: dns; mx.${to.split('@')[1]}`,
      `Diagnostic-Code: ${diagnostic}`,
    ].join('\r\n');
  });
  const lines = [
    'Return-Path: <>',
    `X-Original-To: ${returnPath}`,
    `Delivered-To: ${returnPath}`,
    `Received: by mx.example.net (${reporter.mta}) id ${token.toUpperCase()}; ${date}`,
    `Date: ${date}`,
    `From: ${reporter.from}`,
    `Subject: ${reporter.subject}`,
    `To: ${returnPath}`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary="${boundary}"`,
    `Message-Id: <${date.replace(/\W/g, '')}.${token}@mx.example.net>`,
    '',
    'This is a MIME-encapsulated message.',
    '',
    `--${boundary}`,
    ...notice(reporter, recipients, i),
    '',
    `--${boundary}`,
    'Content-Description: Delivery report',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.net',
    `X-Postfix-Queue-ID: ${token.toUpperCase()}`,
    `X-Postfix-Sender: rfc822; ${returnPath}`,
    `Arrival-Date: ${date}`,
    '',
    groups.join('\r\n\r\n'),
    '',
    `--${boundary}`,
    'Content-Description: Undelivered Message Headers',
    `Content-Type: ${reporter.headersType}`,
    '',
    `Return-Path: <${returnPath}>`,
    `Received: from news.example.org (news.example.org [192.0.2.1]) by mx.example.net (${reporter.mta}) with ESMTPS id ${token}; ${date}`,
    'From: Paperboy Daily Papers <digest@news.example.org>',
    `To: ${recipients.join(', ')}`,
    `Subject: Paperboy Daily Papers, 26 November 2026`,
    `Message-ID: ${messageId}`,
    'List-Id: Paperboy Daily Papers <daily.news.example.org>',
    'List-Unsubscribe: <https://news.example.org/u/abc>',
    'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    ...(reporter.headersType === 'message/rfc822' ? ['Today: 10 papers.', 'From the archive: the best of the week.', ''] : []),
    `--${boundary}--`,
    '',
  ];
  return { raw: lines.join('\r\n'), recipients, plain: reporter.mta !== 'Exchange' };
}
