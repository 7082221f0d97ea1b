/**
 * Enhanced status codes (RFC 3463) and whether a failure is hard. A hard failure means the
 * mailbox is gone and the reader must not be mailed again; anything else (a full mailbox, a
 * block, a filter, a delay) is soft. The rules follow Sisimai's reason rules (its Reason::*
 * phrase lists, SMTP::Status code table and SMTP::Failure.is_hardbounce): a failure is hard when
 * its reason is an unknown user, an unknown host, a moved mailbox or a host that accepts no mail
 * at all; docs/bounces.md has the same tables.
 */
import { documentedMeaning, isVague, statusMeaning } from '../enhanced-status.js';

/**
 * What a code says on its own (enhanced-status.ts, the table sending reads too): a missing
 * mailbox is hard unless the words name another reason; a gone one (no such domain, moved, null
 * MX, unroutable, disabled) is hard whatever they say. Every other code is soft, on purpose even
 * where it sounds final:
 *   5.1.7, 5.1.8  our sender address is refused: our fault, not the reader's.
 *   5.7.x  policy (spam, DMARC, blocklists, "access denied"): says nothing about the mailbox,
 *          unless the server said "no such user" in reply to RCPT TO (see below).
 *   4.x.x  temporary by definition, including a delay notice that mentions a missing domain.
 */
function codeKind(code: string): 'user' | 'gone' | undefined {
  const meaning = statusMeaning(code);
  return meaning === 'no-such-mailbox' ? 'user' : meaning === 'gone' ? 'gone' : undefined;
}

const codePattern = /(?<![\w.])([245])\.([0-7])\.(\d{1,3})(?![\d]|\.\d)/g;

/** Every enhanced status code in a text, in order. */
export function codesIn(text: string): string[] {
  return [...text.matchAll(codePattern)].map((m) => `${m[1]}.${m[2]}.${m[3]}`);
}

/**
 * What a wording stands for. `other`: a named reason that is not a missing mailbox (full, too
 * big, a block, our sender, a relay, SPF/DKIM/DMARC); it outweighs a "no such user" code, as
 * Sisimai's UserUnknown gives way to MailboxFull, Blocked, Rejected and NoRelaying. `soft`: a
 * reason that is never hard but does not outweigh that code.
 */
type Kind = 'user' | 'user-at-rcpt' | 'gone' | 'not-accept' | 'other' | 'soft';

interface Wording {
  pattern: RegExp;
  code: string;
  kind: Kind;
}

/**
 * Diagnostic wording and what it stands for. The first match wins, so the reasons Sisimai checks
 * first (a full mailbox, a size limit, a disabled or moved mailbox, a relay, authentication)
 * come before "no such user", and narrow phrases before the broad ones that contain them. `code`
 * is the class-5 form; a temporary report turns it into 4.x.x (and never hard).
 */
const wordings: Wording[] = [
  // A DNS lookup that failed for now (Postfix's "Host not found, try again").
  { pattern: /host not found, try again|temporary (failure|error) in name resolution/i, code: '5.4.3', kind: 'soft' },
  // Microsoft 365's answer for a mailbox it does not have; Sisimai lists it with the unknown users.
  { pattern: /recipient address rejected: access denied/i, code: '5.4.1', kind: 'user' },
  // The mailbox is full (Sisimai's MailboxFull list: quotas, disk space, mail folders).
  {
    pattern:
      /mailbox (is )?full|full mailbox|mailfolder is full|mailbox.{0,20}(exceeded|over) (its |the )?(quota|storage|disk space|allowed size)|exceeds allowed size|over ?(disk )?quota|quota (exceeded|violation|usage exceeded)|exceeded (the )?(storage|quota)|insufficient (disk )?space|not enough (disk |storage )?space|mailbox size limit|space has been used up|too much mail data|too many messages on the server/i,
    code: '5.2.2',
    kind: 'other',
  },
  // Too big for the mailbox or the system.
  { pattern: /message (is )?too (big|large)|message size exceeds|size limit|message length exceeds/i, code: '5.3.4', kind: 'other' },
  // Disabled or suspended: may come back, but a list must not keep mailing it (see 5.2.1 above).
  {
    pattern:
      /(account|mailbox|user)\b.{0,40}?\b(has been|is|was) (disabled|suspended|inactive|deactivated|discontinued|locked|frozen)|(disabled|suspended|inactive|deactivated) (account|mailbox|user)/i,
    code: '5.2.1',
    kind: 'gone',
  },
  // Moved away.
  { pattern: /has moved|no forwarding address/i, code: '5.1.6', kind: 'gone' },
  // We asked the server to relay: our setup, not the reader's mailbox (Sisimai's NoRelaying).
  {
    pattern: /relay(ing)? (access )?(denied|not permitted)|unable to relay|not (allowed|permitted|configured) to relay|insecure mail relay/i,
    code: '5.7.1',
    kind: 'other',
  },
  // SPF, DKIM or DMARC refused our message (Sisimai's AuthFailure).
  { pattern: /\b(spf|dkim|dmarc)\b|not allowed to send from|sender policy framework/i, code: '5.7.1', kind: 'other' },
  // A local delivery agent's own "no such user" (Sisimai's LDA table): said by the mailbox host itself.
  {
    pattern:
      /mail\.local: (unknown user|user unknown|invalid mailbox path|user missing home directory)|maildrop: (cannot find system user|invalid user specified)|vdeliver(mail)?: (invalid or unknown|sorry, no mailbox)|invalid or unknown (base|virtual) user|mailbox doesn't exist:/i,
    code: '5.1.1',
    kind: 'user',
  },
  // No such user, in words that name the recipient: hard whatever the SMTP phase.
  {
    pattern:
      /recipient name is not recogni[sz]ed|address couldn't be found|(invalid|unknown|illegal|bad|no such) recipient|recipient (address )?(unknown|not found|does ?n[o']t exist)|invalid final delivery userid|no mailbox here by that name|has no mailbox|unrouteable address|recipient address rejected\.?$|not listed in .{0,30}(directory|address book)|5\.1\.0 address rejected|unknown user: \S+@/i,
    code: '5.1.1',
    kind: 'user',
  },
  // Our sender was refused (Sisimai's Rejected list): not about the reader's mailbox.
  {
    pattern:
      /sender (address )?(rejected|verify failed|is spammer|not pre-approved|domain is empty)|(invalid|unroutable|bad|bogus) sender|domain of sender address|empty envelope senders|null sender is not allowed|mail from not owned|does not exist e2110|you are sending to\/from an address that has been blacklisted|sending to\/from an address/i,
    code: '5.1.8',
    kind: 'other',
  },
  // No such user, in the plain words that servers also use for a filter's refusal: hard only
  // when said in reply to RCPT TO (see atRcpt below).
  {
    pattern:
      /(user|mailbox|address|account)( name)? (is )?(unknown|not (found|recogni[sz]ed|known|valid))|unknown (user|mailbox|local[- ]part|address|alias)|no (such|valid) (user|mailbox|account|local user|address|person)|(user|mailbox|account|address)( \S+)? does ?n[o']t exist|(invalid|illegal|bad) (mailbox|address|user)|mailbox unavailable|not our customer|doesn't have an? .{0,40} account|not a (valid|known) user|address (is )?invalid/i,
    code: '5.1.1',
    kind: 'user-at-rcpt',
  },
  // The destination takes no mail at all: a null MX (RFC 7505) or no SMTP service (Sisimai's NotAccept).
  {
    pattern:
      /(host|domain)( or domain)? does not accept mail|\/domain does not accept mail|no mx record found for domain=|mx or srv record indicated no smtp service/i,
    code: '5.1.10',
    kind: 'not-accept',
  },
  // No such domain (Sisimai's HostUnknown list).
  {
    pattern:
      /host (or domain name )?(not found|unknown)|unknown host|host unreachable|(no such|unknown) domain|domain (not found|does not exist|is not reachable|may not exist|couldn't be found|must exist)|no (mx|mail exchanger)|couldn't find a mail exchanger|couldn't find any host named|(unrouteable|non-existent) (host|domain)|name or service not known|name service error|all host address lookups failed permanently|mx records point to non-existent hosts/i,
    code: '5.1.2',
    kind: 'gone',
  },
  // A mail loop.
  { pattern: /(loop|hop count) (detected|exceeded)|too many hops|mail loop|duplicated message-id/i, code: '5.4.6', kind: 'soft' },
  // Gave up retrying.
  {
    pattern:
      /retry timeout exceeded|too long in (the )?queue|in the queue too long|expired|giving up|could not deliver for the last|delivery time ?out|after multiple retries/i,
    code: '5.4.7',
    kind: 'soft',
  },
  // Could not connect.
  {
    pattern:
      /connection (timed out|refused|reset)|wasn't able to establish an smtp connection|did not accept our requests to connect|socket error|network is unreachable|no route to host/i,
    code: '5.4.1',
    kind: 'soft',
  },
  // The client (our IP or host name) is blocked (Sisimai's Blocked list).
  {
    pattern:
      /black ?list|block ?list|blocked|dnsbl|spamhaus|spamcop|reverse dns|ptr record|client host rejected|dynamic ip|banned sending ip|ip name lookup failed|is not allowed to send mail from|use the smtp server of your isp/i,
    code: '5.7.1',
    kind: 'other',
  },
  // Policy or reputation: says nothing about the mailbox.
  { pattern: /spam|access denied|denied|not allowed|refused|rejected|policy|reputation|complaints/i, code: '5.7.1', kind: 'soft' },
];

/** What a diagnostic text's wording stands for; undefined when nothing matches. */
export function wordingOf(text: string): Wording | undefined {
  return wordings.find((wording) => wording.pattern.test(text));
}

/** The words name a reason other than a missing mailbox, wherever it sits in the order. */
const namesAnotherReason = (text: string) => wordings.some((wording) => wording.kind === 'other' && wording.pattern.test(text));

// Plain "user unknown" is about the address only when the server said it in reply to RCPT TO.
// Heard after DATA, the server had taken the address and a filter refused the content; with no
// phase given it is too vague to stop mailing someone (Sisimai reads both the same way).
const atRcpt = /rcpt to|after rcpt|rcpt command|in reply to rcpt|smtp:rcpt|\(rcpt\)|following rcpt/i;
// Said in reply to MAIL FROM: about our sender, never the reader's mailbox.
const atMailFrom = /after mail from|in reply to mail from|mail from command/i;

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
 * the diagnostic) decides by the table above, except that the words can name another reason for
 * a "no such user" code, and "no such user" said at RCPT (or a host that accepts no mail) outweighs
 * a policy code. Without a specific code the wording decides, and a vague code is replaced by the
 * one the wording stands for. The class (4 or 5) comes from the report, the diagnostic's SMTP
 * reply code, or `delayed`; nothing temporary is ever hard.
 */
export function classify(reported: string | undefined, diagnostic: string, options: ClassifyOptions = {}): Classified {
  const codes = [...(reported ? codesIn(reported).slice(0, 1) : []), ...codesIn(diagnostic)];
  const context = options.context ?? '';
  const said = `${diagnostic} ${context}`;
  const rcpt = atRcpt.test(said) && !atMailFrom.test(diagnostic);
  const specific = codes.find((code) => !isVague(code));
  const own = wordingOf(diagnostic);
  const permanent = (code: string) => code.startsWith('5') && !options.delayed;

  if (specific) {
    const kind = codeKind(specific);
    if (kind === 'user') {
      // A "no such user" code whose words name another reason (a block, our sender…) is that reason.
      const other = namesAnotherReason(diagnostic);
      return { status: specific, hard: permanent(specific) && !other && !atMailFrom.test(diagnostic) };
    }
    if (kind === 'gone') return { status: specific, hard: permanent(specific) };
    // Another code, but the server said "no such user" in reply to RCPT TO, or that it takes no mail.
    const heard = own && ((own.kind === 'user' || own.kind === 'user-at-rcpt') && rcpt ? own : own.kind === 'not-accept' ? own : undefined);
    return { status: specific, hard: heard !== undefined && permanent(specific) };
  }

  const pair = codes.map((code) => documentedMeaning(code, diagnostic)).find((meaning) => meaning !== undefined);
  if (pair) return { status: codes[0]!, hard: permanent(codes[0]!) && (pair === 'no-such-mailbox' || pair === 'gone') };

  const reply = /(?<![\d.])([45])\d\d(?![\d.])/.exec(said)?.[1];
  const klass = codes[0]?.[0] ?? (options.delayed ? '4' : (reply ?? '5'));
  const kept = codes.find((code) => !/\.0\.\d+$|^5\.[35]\.0$/.test(code));
  const wording = own ?? wordingOf(context);
  if (!wording) return { status: kept ?? codes[0] ?? `${klass}.0.0`, hard: false };
  const status = kept ?? `${klass}${wording.code.slice(1)}`;
  if (wording.kind === 'user-at-rcpt' && !rcpt) {
    // Too vague to call it 5.1.1: keep what the report said.
    return { status: kept ?? codes[0] ?? `${klass}.0.0`, hard: false };
  }
  const hardKind = wording.kind === 'user' || wording.kind === 'user-at-rcpt' || wording.kind === 'gone' || wording.kind === 'not-accept';
  return { status, hard: klass === '5' && hardKind && !options.delayed && !atMailFrom.test(diagnostic) };
}
