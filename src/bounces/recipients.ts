import { shortLine } from '../words.js';
import { firstAddress, normalizeAddress } from './addresses.js';
import type { DsnRecipient } from './dsn.js';
import { classify } from './status.js';
import type { TextRecipient } from './text-report.js';
import type { FailedRecipient } from './types.js';

const withoutType = (diagnostic: string) => diagnostic.replace(/^(smtp|x-[\w-]+)\s*;\s*/i, ''); // the diagnostic type: smtp;, X-Postfix;…
// RFC 3464's successful actions, and Postfix's "deliverable" in the reports of `sendmail -bv`.
const successful = new Set(['delivered', 'relayed', 'expanded', 'deliverable']);
/** The entry reports a delivery, not a failure: by its action, or by a 2.x.x status (as Sisimai takes it). */
export const succeeded = (entry: DsnRecipient) => successful.has(entry.action?.toLowerCase().trim().split(/\s/)[0] ?? '') || /^\s*2\./.test(entry.status ?? '');

/** The DSN's failed and delayed recipients; `context` finds the free-text paragraph about one. */
export function fromDsn(entries: DsnRecipient[], context: (email: string) => string = () => ''): FailedRecipient[] {
  const out: FailedRecipient[] = [];
  for (const entry of entries) {
    const email = normalizeAddress(entry.finalRecipient) ?? normalizeAddress(entry.originalRecipient);
    const action = entry.action?.toLowerCase().trim().split(/\s/)[0];
    if (!email || succeeded(entry)) continue;
    const delayed = action === 'delayed' || (!action && /^\s*4/.test(entry.status ?? ''));
    const paragraph = context(email);
    const reason = shortLine(withoutType(entry.diagnosticCode ?? '') || paragraph);
    const { status, hard } = classify(entry.status, reason, { delayed, context: paragraph });
    out.push({ email, status, hard, action: delayed ? 'delayed' : 'failed', reason });
  }
  return merge(out);
}

/** Recipients of a free-text report; `section` (the whole report) stands in for a terse diagnostic. */
export function fromText(entries: TextRecipient[], section: string, delayed = false): FailedRecipient[] {
  return merge(
    entries.map(({ email, diagnostic }) => {
      const reason = diagnostic || section;
      const { status, hard } = classify(undefined, reason, { delayed, context: section });
      return { email, status, hard, action: delayed ? 'delayed' : 'failed', reason: shortLine(reason) };
    }),
  );
}

/** X-Failed-Recipients (Exim, Gmail): a comma-separated list. */
export function failedRecipientsHeader(values: string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((value) => value.split(','))
    .map((part) => firstAddress(part))
    .filter((e): e is string => !!e);
}

/** One entry per address: the first, with a missing diagnostic filled from a later duplicate. */
export function merge(recipients: FailedRecipient[]): FailedRecipient[] {
  const byEmail = new Map<string, FailedRecipient>();
  for (const recipient of recipients) {
    const seen = byEmail.get(recipient.email);
    if (!seen) byEmail.set(recipient.email, recipient);
    else if (!seen.reason && recipient.reason) byEmail.set(recipient.email, recipient);
  }
  return [...byEmail.values()];
}
