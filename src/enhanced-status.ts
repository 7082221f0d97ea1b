/**
 * What an RFC 3463 enhanced status code says about a failed delivery. The one table that sending
 * (a reply at RCPT or DATA, delivery/failures.ts) and bounce reading (a report days later,
 * bounces/status.ts) both read, so that a code means the same whenever it arrives.
 *
 * 5.4.4 ("unable to route") is decided here once: it is the recipient's domain that has no route
 * (Postfix says it for a domain without an MX or address, qmail "couldn't find a mail exchanger",
 * Amazon SES "Invalid domain"), and Sisimai reads it as HostUnknown. So it is `gone`, like 5.1.2:
 * hard in a report, a bounce at RCPT. A relay that says it to everyone trips the bounce breaker
 * (delivery/health.ts) like any other misconfigured relay, and its readers are put back.
 */
export type StatusMeaning =
  /** The address names no mailbox (5.1.0, 5.1.1, 5.1.3); a report's words may name another reason. */
  | 'no-such-mailbox'
  /** The address can never be delivered: no such domain, moved, null MX, unroutable, disabled. */
  | 'gone'
  /** About us: our sender address, the relay's own system, the protocol between us. */
  | 'our-sender'
  /** This one message, not the mailbox for good: full, too big, its content, routing trouble. */
  | 'this-message'
  /** Blocked, not authorised, DMARC: about us or the recipient's server; the pattern decides. */
  | 'policy';

const exact: ReadonlyMap<string, StatusMeaning> = new Map([
  ['1.0', 'no-such-mailbox'], // "other address status": Sisimai reads it as no such user
  ['1.1', 'no-such-mailbox'],
  ['1.3', 'no-such-mailbox'], // bad destination address syntax
  ['1.2', 'gone'], // no such domain
  ['1.6', 'gone'], // moved, no forwarding address
  ['1.10', 'gone'], // null MX (RFC 7505)
  ['2.1', 'gone'], // mailbox disabled: a list must not keep mailing it
  ['4.4', 'gone'], // unable to route: see above
  ['1.7', 'our-sender'], // bad sender mailbox syntax
  ['1.8', 'our-sender'], // bad sender's system address
]);

/** Every other code by its subject (the middle number). */
const bySubject: Readonly<Record<string, StatusMeaning>> = {
  '1': 'this-message', // other address trouble (ambiguous…)
  '2': 'this-message', // mailbox full (5.2.2), too big for it (5.2.3): this reader, not for good
  '3': 'our-sender', // the mail system: the relay's side
  '4': 'this-message', // network and routing, loops, expired in a queue
  '5': 'our-sender', // protocol errors: our client or the relay, never the reader
  '6': 'this-message', // the message's content or format
  '7': 'policy', // security and policy
};

/**
 * A vague code that a provider documents with particular words (Sisimai's Rhost tables, from the
 * providers' own NDR documentation): the pair means more than either alone.
 */
const documented: readonly { detail: string; pattern: RegExp; meaning: StatusMeaning }[] = [
  // Outlook.com / Hotmail answers it at RCPT for an address it does not have ("similar to 5.1.10").
  { detail: '5.0', pattern: /requested action not taken: mailbox unavailable/i, meaning: 'no-such-mailbox' },
  // Microsoft 365's directory-based edge blocking: RFC 3463 calls 5.4.1 "no answer from host".
  { detail: '4.1', pattern: /recipient address rejected: access denied/i, meaning: 'no-such-mailbox' },
];

/**
 * Codes too vague to decide alone: "other or undefined" ones (x.0.0, 5.3.0, 5.5.0), codes
 * outside the IANA registry (Microsoft's 5.1.351, 5.7.509…), and 5.4.1, which Microsoft 365
 * answers for a mailbox it does not have. In a report the wording decides them
 * (bounces/status.ts); at a send the stage of the reply and the subject do.
 */
const registered = /^[245]\.(0\.0|1\.([0-9]|10)|2\.[0-4]|3\.[0-6]|4\.[0-7]|5\.[0-6]|6\.([0-9]|10)|7\.([0-9]|[12][0-9]|30))$/;
export function isVague(code: string): boolean {
  return /^[245]\.(0\.\d+|3\.0|5\.0|4\.1)$/.test(code) || !registered.test(code);
}

const detailOf = (code: string) => code.slice(code.indexOf('.') + 1);

/** What a code says on its own, whatever its class (a 4.x.x is only ever temporary: callers decide that); undefined for x.0.x, which says nothing. */
export function statusMeaning(code: string): StatusMeaning | undefined {
  const detail = detailOf(code);
  const [subject] = detail.split('.');
  return exact.get(detail) ?? (subject === '0' ? undefined : bySubject[subject ?? '']);
}

/** A provider's documented pair of a vague code and its words, when the text is one. */
export function documentedMeaning(code: string, text: string): StatusMeaning | undefined {
  const detail = detailOf(code);
  return documented.find((row) => row.detail === detail && row.pattern.test(text))?.meaning;
}
