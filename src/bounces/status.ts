/**
 * Enhanced status codes (RFC 3463) and whether a failure is hard. A hard failure means the
 * mailbox is gone and the reader must not be mailed again; anything else (a full mailbox, a
 * block, a filter, a delay) is soft. The tables follow the Sisimai-labelled fixtures in
 * test/fixtures/bounces where those are consistent; docs/bounces.md has the same table.
 */

/** The only reported codes that are hard on their own. */
const hardCodes = new Map<string, string>([
  ['5.1.1', 'bad destination mailbox: no such user'],
  ['5.1.2', 'bad destination system: the domain does not exist'],
  ['5.1.3', 'bad destination mailbox address syntax'],
  ['5.1.6', 'mailbox has moved, no forwarding address'],
  ['5.1.10', 'recipient domain has a null MX (RFC 7505)'],
  // Disabled: the same rule as a 5.2.1 answered at RCPT during a send (delivery/failures.ts). Sisimai
  // keeps some of these soft (an account that may come back); a list must not keep mailing it.
  ['5.2.1', 'mailbox disabled, not accepting messages'],
  ['5.4.4', 'unable to route: the domain has no mail server'],
]);
// Every other registered code is soft, on purpose even where it sounds final:
//   5.1.0  other address status: in the data a refused *sender* (MAIL FROM), or a provider's own
//          "no such user" that Sisimai keeps soft.
//   5.1.7, 5.1.8  our sender address is refused: our fault, not the reader's.
//   5.7.x  policy (spam, DMARC, blocklists, "access denied"): says nothing about the mailbox.
//   4.x.x  temporary by definition, including a delay notice that mentions a missing domain.

/**
 * Codes the wording decides instead: "other or undefined" ones (x.0.0, 5.3.0, 5.5.0), codes
 * outside the IANA registry (Microsoft's 5.1.351, 5.7.509…), and 5.4.1, which RFC 3463 calls "no
 * answer from host" but Microsoft 365 answers for a mailbox it does not have ("Recipient address
 * rejected: Access denied").
 */
const registered = /^[245]\.(0\.0|1\.([0-9]|10)|2\.[0-4]|3\.[0-6]|4\.[0-7]|5\.[0-6]|6\.([0-9]|10)|7\.([0-9]|[12][0-9]|30))$/;
export function wordingDecides(code: string): boolean {
  return /^[245]\.(0\.\d+|3\.0|5\.0|4\.1)$/.test(code) || !registered.test(code);
}

const codePattern = /(?<![\w.])([245])\.([0-7])\.(\d{1,3})(?![\d]|\.\d)/g;

/** Every enhanced status code in a text, in order. */
export function codesIn(text: string): string[] {
  return [...text.matchAll(codePattern)].map((m) => `${m[1]}.${m[2]}.${m[3]}`);
}

interface Wording {
  pattern: RegExp;
  code: string;
  /** `at-rcpt`: hard only when the report says the server answered it to RCPT TO. */
  hard: boolean | 'at-rcpt';
}

/**
 * Diagnostic wording and what it stands for when no code settles it. The first match wins, so
 * narrower phrases come before the broad ones they contain. `code` is the class-5 form; a
 * temporary report turns it into 4.x.x (and never hard).
 */
const wordings: Wording[] = [
  // A DNS lookup that failed for now (Postfix's "Host not found, try again").
  { pattern: /host not found, try again|temporary (failure|error) in name resolution/i, code: '5.4.3', hard: false },
  // Microsoft 365's answer for a mailbox it does not have.
  { pattern: /recipient address rejected: access denied/i, code: '5.4.1', hard: true },
  // The mailbox is full.
  { pattern: /mailbox (is )?full|mailbox.{0,20}(exceeded|over) (its )?(quota|storage)|over ?quota|quota exceeded|exceeded (the )?(storage|quota)|insufficient (disk )?space|mailbox size limit/i, code: '5.2.2', hard: false },
  // Disabled or suspended: may come back.
  { pattern: /(account|mailbox|user)\b.{0,40}?\b(has been|is|was) (disabled|suspended|inactive|deactivated|discontinued|locked|frozen)|(disabled|suspended|inactive|deactivated) (account|mailbox|user)/i, code: '5.2.1', hard: true },
  // Moved away.
  { pattern: /has moved|no forwarding address/i, code: '5.1.6', hard: true },
  // No such user, in words that name the recipient: hard whatever the SMTP phase.
  {
    pattern:
      /recipient name is not recogni[sz]ed|address couldn't be found|(invalid|unknown|illegal|bad|no such) recipient|recipient (address )?(unknown|not found|does ?n[o']t exist)|invalid final delivery userid|no mailbox here by that name|has no mailbox|unrouteable address|recipient address rejected\.?$/i,
    code: '5.1.1',
    hard: true,
  },
  // No such user, in the plain words that servers also use for a filter's refusal: hard only
  // when said in reply to RCPT TO (see atRcpt below).
  {
    pattern:
      /(user|mailbox|address|account)( name)? (is )?(unknown|not (found|recogni[sz]ed|known|valid))|unknown (user|mailbox|local[- ]part|address|alias)|no (such|valid) (user|mailbox|account|local user|address)|(user|mailbox|account|address)( \S+)? does ?n[o']t exist|(invalid|illegal|bad) (mailbox|address|user)|mailbox unavailable|not our customer|doesn't have an? .{0,40} account/i,
    code: '5.1.1',
    hard: 'at-rcpt',
  },
  // No such domain.
  {
    pattern:
      /host (or domain name )?(not found|unknown)|domain (not found|does not exist|is not reachable|may not exist|couldn't be found)|no (mx|mail exchanger)|couldn't find a mail exchanger|(unknown|unrouteable|non-existent) (host|domain)|name or service not known|name service error/i,
    code: '5.1.2',
    hard: true,
  },
  // Too big.
  { pattern: /message (is )?too (big|large)|message size exceeds|size limit|message length exceeds/i, code: '5.3.4', hard: false },
  // A mail loop.
  { pattern: /(loop|hop count) (detected|exceeded)|too many hops|mail loop|duplicated message-id/i, code: '5.4.6', hard: false },
  // Gave up retrying.
  { pattern: /retry timeout exceeded|too long in (the )?queue|in the queue too long|expired|giving up|could not deliver for the last|delivery time ?out|after multiple retries/i, code: '5.4.7', hard: false },
  // Could not connect.
  { pattern: /connection (timed out|refused|reset)|wasn't able to establish an smtp connection|did not accept our requests to connect|socket error|network is unreachable|no route to host/i, code: '5.4.1', hard: false },
  // Policy or reputation: says nothing about the mailbox.
  { pattern: /dmarc|spf|dkim|reverse dns|ptr record|black ?list|block ?list|blocked|spam|access denied|denied|not allowed|refused|rejected|policy|reputation|complaints/i, code: '5.7.1', hard: false },
];

/** What a diagnostic text's wording stands for; undefined when nothing matches. */
export function wordingOf(text: string): Wording | undefined {
  return wordings.find((wording) => wording.pattern.test(text));
}

// Plain "user unknown" is about the address only when the server said it in reply to RCPT TO.
// Heard after DATA, the server had taken the address and a filter refused the content; with no
// phase given it is too vague to stop mailing someone (Sisimai reads both the same way).
const atRcpt = /rcpt to|after rcpt|rcpt command|in reply to rcpt|smtp:rcpt|\(rcpt\)|following rcpt/i;

export interface Classified {
  status: string;
  hard: boolean;
}

export interface ClassifyOptions {
  /** The report says the delivery is only delayed. */
  delayed?: boolean;
  /** More of the report about this recipient (the text beside a DSN, the whole free-text report): read for wording. */
  context?: string;
}

/**
 * Settles a recipient's status and hardness. A specific code (the report's own, else the first in
 * the diagnostic) decides by the table above; otherwise the wording decides, and a vague code is
 * replaced by the one the wording stands for. The class (4 or 5) comes from the report, the
 * diagnostic's SMTP reply code, or `delayed`.
 */
export function classify(reported: string | undefined, diagnostic: string, options: ClassifyOptions = {}): Classified {
  const codes = [...(reported ? codesIn(reported).slice(0, 1) : []), ...codesIn(diagnostic)];
  const specific = codes.find((code) => !wordingDecides(code));
  if (specific) return { status: specific, hard: hardCodes.has(specific) };

  const context = options.context ?? '';
  const reply = /(?<![\d.])([45])\d\d(?![\d.])/.exec(`${diagnostic} ${context}`)?.[1];
  const klass = codes[0]?.[0] ?? (options.delayed ? '4' : (reply ?? '5'));
  const kept = codes.find((code) => !/\.0\.\d+$|^5\.[35]\.0$/.test(code));
  const wording = wordingOf(diagnostic) ?? wordingOf(context);
  if (!wording) return { status: kept ?? codes[0] ?? `${klass}.0.0`, hard: false };
  const status = kept ?? `${klass}${wording.code.slice(1)}`;
  if (wording.hard === 'at-rcpt' && !atRcpt.test(`${diagnostic} ${context}`)) {
    // Too vague to call it 5.1.1: keep what the report said.
    return { status: kept ?? codes[0] ?? `${klass}.0.0`, hard: false };
  }
  return { status, hard: klass === '5' && wording.hard !== false && !options.delayed };
}
