const mailbox = /^[^\s@<>"(),;:]+@[^\s@<>"(),;:]+\.[^\s@<>"(),;:.]+$/;

/**
 * A recipient as we store it: lower-cased, without `rfc822;`, angle brackets, quotes or a
 * trailing dot; undefined when what is left is not a plain address.
 */
export function normalizeAddress(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const value = raw
    .trim()
    .replace(/^[a-z][\w-]*\s*;\s*/i, '') // an address type: rfc822;, utf-8; (RFC 6533)
    .replace(/^["'<([]+|["'>)\].,:;]+$/g, '')
    .trim()
    .toLowerCase();
  return mailbox.test(value) ? value : undefined;
}

/** The first address in a header value such as `"Name" <a@b.example>` or `a@b.example (comment)`. */
export function firstAddress(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const bracketed = /<([^<>\s]+@[^<>\s]+)>/.exec(value)?.[1];
  return normalizeAddress(bracketed ?? /[^\s<>"(),;:]+@[^\s<>"(),;:]+/.exec(value)?.[0]);
}
