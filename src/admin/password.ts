import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * The admin password, kept as a scrypt hash (Node's own crypto: no native addon to build) in a
 * PHC-like line: `scrypt$ln=17,r=8,p=1$<salt>$<hash>` (unpadded base64). ln is log2 of scrypt's N:
 * 17 (128 MiB, about half a second) is what OWASP asks of scrypt today; the line carries its own
 * parameters, so a hash made with other ones keeps verifying.
 */
export interface PasswordHashParameters {
  /** log2 of scrypt's cost N. */
  ln: number;
  r: number;
  p: number;
}

export const defaultHashParameters: PasswordHashParameters = { ln: 17, r: 8, p: 1 };

const saltBytes = 16;
const hashBytes = 32;
const b64 = '[A-Za-z0-9+/]';
const hashLine = new RegExp(`^scrypt\\$ln=(\\d{1,2}),r=(\\d{1,2}),p=(\\d{1,2})\\$(${b64}{22})\\$(${b64}{43})$`);
/** Bounds that keep a hash from the config from asking for absurd work or memory (ln 20 with r 8 is 1 GiB). */
const limits = { ln: [10, 20], r: [1, 16], p: [1, 4] } as const;

interface ParsedHash extends PasswordHashParameters {
  salt: Buffer;
  hash: Buffer;
}

function parse(line: string): ParsedHash | undefined {
  const match = hashLine.exec(line.trim());
  if (!match) return undefined;
  const [ln, r, p] = [match[1], match[2], match[3]].map(Number) as [number, number, number];
  const within = (value: number, [low, high]: readonly [number, number]) => value >= low && value <= high;
  if (!within(ln, limits.ln) || !within(r, limits.r) || !within(p, limits.p)) return undefined;
  return { ln, r, p, salt: Buffer.from(match[4]!, 'base64'), hash: Buffer.from(match[5]!, 'base64') };
}

/** Whether `line` is a hash `paperboy admin hash-password` could have printed (what the config accepts). */
export const isPasswordHash = (line: string): boolean => parse(line) !== undefined;

const unpadded = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');

function derive(password: string, salt: Buffer, parameters: PasswordHashParameters): Promise<Buffer> {
  const cost = 2 ** parameters.ln;
  // scrypt needs 128·N·r bytes; Node refuses anything over maxmem (32 MiB by default).
  const options: ScryptOptions = { N: cost, r: parameters.r, p: parameters.p, maxmem: 256 * cost * parameters.r };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, hashBytes, options, (error, key) => (error ? reject(error) : resolve(key))));
}

/** The hash line for `password`, with a fresh random salt. */
export async function hashPassword(password: string, parameters: PasswordHashParameters = defaultHashParameters): Promise<string> {
  const salt = randomBytes(saltBytes);
  const hash = await derive(password, salt, parameters);
  return `scrypt$ln=${parameters.ln},r=${parameters.r},p=${parameters.p}$${unpadded(salt)}$${unpadded(hash)}`;
}

/** Whether `password` is the one `line` was made from; compared in constant time. A malformed line matches nothing. */
export async function verifyPassword(password: string, line: string): Promise<boolean> {
  const parsed = parse(line);
  if (!parsed) return false;
  const hash = await derive(password, parsed.salt, parsed);
  return timingSafeEqual(hash, parsed.hash);
}
