import { createHmac, createPublicKey, timingSafeEqual, verify, X509Certificate } from 'node:crypto';

/** Constant-time equality of two strings (false when their lengths differ). */
export function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

const hmacHex = (key: string, data: string | Buffer) => createHmac('sha256', key).update(data).digest('hex');

/** The generic webhook: `X-Paperboy-Signature: sha256=<hex HMAC-SHA256 of the body>`. */
export function genericSignatureValid(secret: string, header: string | undefined, body: string): boolean {
  const given = /^sha256=([0-9a-f]{64})$/i.exec(header ?? '')?.[1]?.toLowerCase();
  return given !== undefined && sameText(given, hmacHex(secret, body));
}

/** Postmark: HTTP basic auth with the configured user and password. */
export function basicAuthValid(header: string | undefined, user: string, password: string): boolean {
  const encoded = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '')?.[1];
  if (!encoded) return false;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  return sameText(decoded, `${user}:${password}`);
}

/** How far a signed timestamp may be from now (Mailgun's and SendGrid's advice): older is a replay. */
const freshSeconds = 15 * 60;

const isFresh = (timestamp: string, now: number) => Math.abs(now / 1000 - Number(timestamp)) <= freshSeconds;

/**
 * Mailgun: HMAC-SHA256 of timestamp + token with the signing key, a timestamp within 15 minutes,
 * and a token used once (the caller keeps the tokens). The signature does not cover the events,
 * so a captured request could carry others in its window: Mailgun's advice is to take each token
 * once. Both parts have one spelling: the timestamp digits only, the token its documented 50
 * characters; otherwise characters moved from the token onto the timestamp would keep the
 * signature and make a "new" token.
 */
export function mailgunSignature(signingKey: string, signature: unknown, now = Date.now()): { token: string; rememberUntil: Date } | undefined {
  if (typeof signature !== 'object' || signature === null) return undefined;
  const { timestamp: rawTimestamp, token, signature: given } = signature as Record<string, unknown>;
  const timestamp = typeof rawTimestamp === 'number' && Number.isSafeInteger(rawTimestamp) ? String(rawTimestamp) : rawTimestamp;
  if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp) || !isFresh(timestamp, now)) return undefined;
  if (typeof token !== 'string' || !/^[A-Za-z0-9]{50}$/.test(token) || typeof given !== 'string') return undefined;
  if (!sameText(given.toLowerCase(), hmacHex(signingKey, `${timestamp}${token}`))) return undefined;
  return { token, rememberUntil: new Date(now + 2 * freshSeconds * 1000) };
}

/** SendGrid's signed event webhook: ECDSA (P-256, SHA-256) over timestamp + body with its verification key, and a fresh timestamp. */
export function sendgridSignatureValid(
  publicKeyBase64: string,
  signatureBase64: string | undefined,
  timestamp: string | undefined,
  body: string,
  now = Date.now(),
): boolean {
  if (!signatureBase64 || !timestamp || !/^\d{1,12}$/.test(timestamp) || !isFresh(timestamp, now)) return false;
  try {
    const key = createPublicKey({ key: Buffer.from(publicKeyBase64, 'base64'), format: 'der', type: 'spki' });
    return verify('sha256', Buffer.from(timestamp + body), key, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}

/** An SNS message, as Amazon posts it. */
export interface SnsMessage {
  Type: string;
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  Signature: string;
  SignatureVersion: string;
  SigningCertURL: string;
  Subject?: string;
  SubscribeURL?: string;
  Token?: string;
}

/** The string SNS signs: the named fields, in order, as "Name\nvalue\n". */
function snsSignedText(message: SnsMessage): string {
  const fields =
    message.Type === 'Notification'
      ? ['Message', 'MessageId', ...(message.Subject !== undefined ? ['Subject'] : []), 'Timestamp', 'TopicArn', 'Type']
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  return fields.map((field) => `${field}\n${String((message as unknown as Record<string, unknown>)[field] ?? '')}\n`).join('');
}

/**
 * Whether a URL SNS gives (its signing certificate, a subscription to confirm) is on an allowed
 * host: the whole host name matches the pattern, over https on port 443; plain http only on this
 * machine's loopback, and only when the pattern names it (for tests).
 */
export function snsUrlAllowed(url: string, hostPattern: string): boolean {
  try {
    const parsed = new URL(url);
    const loopback = parsed.hostname === '127.0.0.1' || parsed.hostname === 'localhost';
    const secure = parsed.protocol === 'https:' && (parsed.port === '' || parsed.port === '443');
    return (
      (secure || (parsed.protocol === 'http:' && loopback)) && !parsed.username && !parsed.password && new RegExp(`^(?:${hostPattern})$`).test(parsed.hostname)
    );
  } catch {
    return false;
  }
}

const certificates = new Map<string, Promise<X509Certificate>>();

async function certificate(url: string): Promise<X509Certificate> {
  let pending = certificates.get(url);
  if (!pending) {
    pending = (async () => {
      const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return new X509Certificate(await response.text());
    })();
    pending.catch(() => certificates.delete(url)); // a failed fetch is tried again next time
    certificates.set(url, pending);
  }
  return pending;
}

/** Amazon SNS: the message's signature, by the certificate at SigningCertURL (on an allowed host). */
export async function snsSignatureValid(message: SnsMessage, hostPattern: string): Promise<boolean> {
  if (typeof message.SigningCertURL !== 'string' || !snsUrlAllowed(message.SigningCertURL, hostPattern)) return false;
  const algorithm = message.SignatureVersion === '2' ? 'sha256' : message.SignatureVersion === '1' ? 'sha1' : undefined;
  if (!algorithm || typeof message.Signature !== 'string') return false;
  try {
    const cert = await certificate(message.SigningCertURL);
    return verify(algorithm, Buffer.from(snsSignedText(message)), cert.publicKey, Buffer.from(message.Signature, 'base64'));
  } catch {
    return false;
  }
}
