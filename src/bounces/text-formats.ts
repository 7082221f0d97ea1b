/**
 * Free-text bounces: how each MTA or provider words its report when it sends no RFC 3464 part.
 * One row per wording: where the report starts, and what a line naming a failed recipient looks
 * like (named group `email`, optional `reason` for a diagnostic on the same line). What follows a
 * recipient line, up to the next one or the end of the report, is that recipient's diagnostic.
 * Patterns are tried against the whole text; rows are tried in order, the first that finds a
 * recipient wins.
 */
export interface TextFormat {
  name: string;
  start: RegExp;
  recipient: RegExp;
}

const address = String.raw`[^\s<>"'(),;:]+@[^\s<>"'(),;:]+?`;
const rx = (source: string, flags = 'im') => new RegExp(source.replaceAll('ADDRESS', address), flags);

export const textFormats: TextFormat[] = [
  {
    // Exim and its relatives (GMX, Mail.ru, MXLogic, Zoho): the address indented two spaces, the
    // diagnostic indented four below it (or after a colon on the same line). Exim's deliver.c opens
    // every notice alike, a delay warning too; its parser's notice for a malformed address opens
    // with "contained one or more recipient addresses" (Sisimai's Exim markers).
    name: 'exim',
    start: rx(
      String.raw`could not be delivered to one or more|following address(es)? failed|не может быть доставлено|^This message was created automatically by mail delivery software|contained one or more recipient addresses|rejected by the local scanning code`,
    ),
    recipient: rx(String.raw`^(?: {2})?"?<?(?<email>ADDRESS)>?"?:?(?:\s+(?<reason>\S.*))?$`),
  },
  {
    // Postfix, qmail, Yahoo, OpenSMTPD and the qmail-like "Unable to deliver message to the following address(es)".
    name: 'postfix-qmail',
    start: rx(
      String.raw`^This is the (mail system|Postfix program) at|This is the qmail-send program|unable to deliver (your )?message to the following address|error has occurred while attempting to deliver a message|for the following\s+list of recipients`,
    ),
    recipient: rx(String.raw`^<?(?<email>ADDRESS)>?:(?:\s+(?<reason>\S.*))?$`),
  },
  {
    // Sendmail without a DSN part (and Active!Hunter): the address list, then the SMTP transcript.
    name: 'sendmail',
    start: rx(String.raw`-{3,} The following addresses had|-{3,} Transcript of session follows`),
    // A transcript line "550 <a@b>... User unknown" keeps its reply code in the diagnostic.
    recipient: rx(
      String.raw`^(?:>>> )?(?:(?!\d{3}[ -])\S+ )?<(?<email>ADDRESS)>(?:\.\.\.\s*(?<reason>.*))?$|^(?<reason2>\d{3}[ -](?:\d\.\d\.\d+ )?<(?<email2>ADDRESS)>\.\.\. .*)$`,
    ),
  },
  {
    // Gmail's older reports.
    name: 'gmail',
    start: rx(String.raw`^Delivery to the following recipients? (failed|has been delayed)`),
    recipient: rx(String.raw`^\s+(?<email>ADDRESS)\s*$`),
  },
  {
    // Gmail and Google Workspace today: "** Address not found **", then one sentence per recipient.
    name: 'google',
    start: rx(String.raw`^\*\* [\w ]+ \*\*$`),
    recipient: rx(String.raw`^(?<reason>.*\bdelivered to (?<email>ADDRESS) because .*)$`),
  },
  {
    // Exchange 2000/2003 ("did not reach the following recipient(s)").
    name: 'exchange',
    start: rx(String.raw`did not reach the following recipient`),
    recipient: rx(String.raw`^\s*(?<email>ADDRESS) on .*$`),
  },
  {
    name: 'dragonfly',
    start: rx(String.raw`^This is the DragonFly Mail Agent`),
    recipient: rx(String.raw`error delivering your mail to <(?<email>ADDRESS)>`),
  },
  {
    // Amazon SES / WorkMail, and the "Technical details" reports of some appliances.
    name: 'recipient-list',
    start: rx(String.raw`to the following recipients:|following recipients failed permanently|following addresses had delivery errors|Failed addresses follow`),
    recipient: rx(String.raw`^\s*(?:\* )?(?<email>ADDRESS)(?:\s*$|\s+\[(?<reason>.*)\]$|\s+\.\.\.\s+(?<reason2>.*)$)`),
  },
  {
    name: 'labelled-recipient',
    start: rx(String.raw`^\s*(Recipient( address)?|target mail address|RCPT TO|Invalid final delivery userid):`),
    recipient: rx(
      String.raw`^\s*(?:Recipient(?: address)?|target mail address|RCPT TO):\s*<?(?<email>ADDRESS)>?\s*$|^(?<reason>Invalid final delivery userid): (?<email2>ADDRESS)\s*$`,
    ),
  },
  {
    // Sophos/McAfee-style one-line reports: "… permanent errors: user@host. Reason: …",
    // "rejected recipient <user@host> (…)".
    name: 'one-line',
    start: rx(String.raw`We had trouble delivering your message`),
    recipient: rx(String.raw`returned permanent errors: (?<email>ADDRESS)\.? Reason: (?<reason>.*)$|rejected recipient <(?<email2>ADDRESS)>(?<reason2>.*)$`),
  },
  {
    // m-FILTER (Japan): the address alone on a line, then "-------server message".
    name: 'm-filter',
    start: rx(String.raw`m-FILTER`),
    recipient: rx(String.raw`^(?<email>ADDRESS)$`),
  },
  {
    // fml mailing-list manager loop alert.
    name: 'fml',
    start: rx(String.raw`^Duplicated Message-ID in`),
    recipient: rx(String.raw`^(?<reason>Duplicated Message-ID) in <(?<email>ADDRESS)>`),
  },
];

/**
 * Where the returned message begins: the report ends there. One list for every format, since
 * their wordings do not collide.
 */
export const returnedMessageMarkers = rx(
  [
    String.raw`^-+ ?This is a copy of (the|your) message`,
    String.raw`^-+ ?(Below this line is|Enclosed is) a copy of the message`,
    String.raw`^-+ ?Original message -+$`,
    String.raw`^-+ ?Returned Message -+$`,
    String.raw`^-+ ?Original message follows`,
    String.raw`^Original message follows`,
    String.raw`^Message headers follow`,
    String.raw`^Included is a copy of the message header`,
    String.raw`^-+ ?The header of the original message`,
    String.raw`^\s*Below is a copy of the original message`,
    String.raw`^\s*-+ (Unsent|Original) message follows`,
    String.raw`^\|-+ Message text follows`,
    String.raw`^-------original mail info`,
    String.raw`^bounced E-Mail:`,
    String.raw`^Original mail as follows`,
    String.raw`^The attachment contains the original mail headers`,
  ].join('|'),
);
