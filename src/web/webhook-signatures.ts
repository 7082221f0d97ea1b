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

const mailgunWindowSeconds = 15 * 60;

/**
 * Mailgun: HMAC-SHA256 of timestamp + token with the signing key, a timestamp within 15 minutes,
 * and a token not seen before. The signature does not cover the event, so a captured request
 * could carry other events in its window; Mailgun's advice is to take each token once. The
 * tokens are remembered per server process: several `serve` processes each refuse their own repeats.
 */
export function mailgunSignatureValid(
  signingKey: string,
  signature: { timestamp?: unknown; token?: unknown; signature?: unknown } | undefined,
  usedTokens: Map<string, number>,
  now = Date.now(),
): boolean {
  const { timestamp, token, signature: given } = signature ?? {};
  if (typeof timestamp !== 'string' && typeof timestamp !== 'number') return false;
  if (typeof token !== 'string' || typeof given !== 'string') return false;
  if (Math.abs(now / 1000 - Number(timestamp)) > mailgunWindowSeconds) return false;
  if (!sameText(given.toLowerCase(), hmacHex(signingKey, `${timestamp}${token}`))) return false;
  for (const [seen, until] of usedTokens) if (until < now) usedTokens.delete(seen);
  if (usedTokens.has(token)) return false;
  usedTokens.set(token, now + 2 * mailgunWindowSeconds * 1000);
  return true;
}

/** SendGrid's signed event webhook: ECDSA (P-256, SHA-256) over timestamp + body, with its verification key. */
export function sendgridSignatureValid(publicKeyBase64: string, signatureBase64: string | undefined, timestamp: string | undefined, body: string): boolean {
  if (!signatureBase64 || !timestamp) return false;
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
 * host: https, or plain http on this machine's loopback only (for tests).
 */
export function snsUrlAllowed(url: string, hostPattern: string): boolean {
  try {
    const parsed = new URL(url);
    const loopback = parsed.hostname === '127.0.0.1' || parsed.hostname === 'localhost';
    return (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && loopback)) && new RegExp(hostPattern).test(parsed.hostname);
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
