import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateDirectory } from '../db/index.js';
import { messageOf, PaperboyError } from '../errors.js';

/** What a link does; `resubscribe` brings back someone who unsubscribed, from a mail they asked for. */
export type TokenPurpose = 'unsubscribe' | 'confirm' | 'resubscribe' | 'preferences';

export interface TokenClaims {
  subscriberId: number;
  purpose: TokenPurpose;
  /** Seconds since the epoch; absent for links that never expire (unsubscribe must keep working). */
  expiresAt?: number;
}

const macBytes = 18; // 144 bits: far beyond guessing, and keeps links short

const base64url = (buffer: Buffer) => buffer.toString('base64url');

/**
 * Signed tokens for the links in every email: HMAC-SHA256 over (version, purpose, subscriber,
 * expiry). The purpose is signed but not written in the token, so a token made for one purpose
 * never verifies for another. Format: `<id base36>.<expiry base36 or 0>.<mac base64url>`.
 */
export class TokenSigner {
  private readonly key: Buffer;

  constructor(secret: string | Buffer) {
    if (secret.length < 16) throw new PaperboyError('CONFIG', 'PAPERBOY_SECRET must be at least 16 characters long.');
    this.key = Buffer.from(secret);
  }

  private mac(subscriberId: number, purpose: TokenPurpose, expiry: string): Buffer {
    return createHmac('sha256', this.key).update(`paperboy.v1.${purpose}.${subscriberId}.${expiry}`).digest().subarray(0, macBytes);
  }

  /** HMAC-SHA256 of `text` under the secret (for tokens of other shapes, such as the return path's). */
  digest(text: string): Buffer {
    return createHmac('sha256', this.key).update(`paperboy.v1.${text}`).digest();
  }

  sign(claims: TokenClaims): string {
    const expiry = claims.expiresAt ? Math.floor(claims.expiresAt).toString(36) : '0';
    return `${claims.subscriberId.toString(36)}.${expiry}.${base64url(this.mac(claims.subscriberId, claims.purpose, expiry))}`;
  }

  /** The subscriber id when the token is genuine, for this purpose and not expired; otherwise undefined. */
  verify(token: string, purpose: TokenPurpose, now: Date = new Date()): { subscriberId: number; expired: boolean; expiresAt?: number } | undefined {
    // Exactly the signature's length: base64url of 18 bytes is 24 characters with no spare bits,
    // so a token has one spelling (one character more would otherwise decode to the same bytes).
    const match = /^([0-9a-z]{1,12})\.([0-9a-z]{1,12})\.([A-Za-z0-9_-]{24})$/.exec(token);
    if (!match) return undefined;
    const [, idPart, expiry, macPart] = match as unknown as [string, string, string, string];
    const subscriberId = Number.parseInt(idPart, 36);
    if (subscriberId.toString(36) !== idPart) return undefined; // one spelling per token: no leading zeros
    const given = Buffer.from(macPart, 'base64url');
    const expected = this.mac(subscriberId, purpose, expiry);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const expiresAt = Number.parseInt(expiry, 36);
    if (expiresAt.toString(36) !== expiry) return undefined;
    return { subscriberId, expired: expiresAt !== 0 && expiresAt * 1000 < now.getTime(), ...(expiresAt !== 0 ? { expiresAt } : {}) };
  }
}

/**
 * VERP: the token in each message's return path (`bounces+TOKEN@example.org`), naming the edition
 * and the reader, so a bounce that quotes nothing of the message still finds them. Lower-case
 * letters, digits and dashes only: relays may lower-case a local part, and some refuse others.
 */
export class ReturnPathTokens {
  constructor(private readonly signer: TokenSigner) {}

  make(subscriberId: number, editionId: number): string {
    const ids = `${subscriberId.toString(36)}-${editionId.toString(36)}`;
    return `${ids}-${this.signer.digest(`verp.${ids}`).toString('hex').slice(0, 20)}`;
  }

  read(token: string): { subscriberId: number; editionId: number } | undefined {
    const match = /^([0-9a-z]{1,12})-([0-9a-z]{1,12})-([0-9a-f]{20})$/.exec(token.toLowerCase());
    if (!match) return undefined;
    const [, subscriber, edition] = match as unknown as [string, string, string];
    const expected = this.make(Number.parseInt(subscriber, 36), Number.parseInt(edition, 36));
    if (expected.length !== token.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(token.toLowerCase()))) return undefined;
    return { subscriberId: Number.parseInt(subscriber, 36), editionId: Number.parseInt(edition, 36) };
  }
}

/** Where the ledger's frozen Message-ID leaves room for its MAC (see MessageIdTokens). */
export const messageIdMacSlot = '{mac}';

const macHexLength = 20; // 80 bits, as the return path's

/**
 * Message-IDs that prove whom a message went to: `<DAY.EDITION.READER.STORE.MAC@domain>`, the
 * MAC an HMAC of everything before it. A report quoting one names its reader with certainty;
 * without the MAC (the form before it) anyone who saw one digest could write a colleague's. The
 * ledger freezes each row's ID with `{mac}` in place of the MAC, because the store cannot compute
 * an HMAC with our secret (and the secret never goes to the database); sending fills it in, the
 * same way every time, so a message sent again keeps its ID.
 */
export class MessageIdTokens {
  constructor(private readonly signer: TokenSigner) {}

  private mac(ids: string): string {
    return this.signer.digest(`msgid.${ids}`).toString('hex').slice(0, macHexLength);
  }

  /** The frozen ID with its MAC filled in; an ID without the slot (an older edition's) as it is. */
  seal(frozen: string): string {
    const slot = frozen.indexOf(`.${messageIdMacSlot}@`);
    if (slot === -1) return frozen;
    const ids = frozen.slice(frozen.startsWith('<') ? 1 : 0, slot);
    return `${frozen.slice(0, slot)}.${this.mac(ids)}${frozen.slice(slot + messageIdMacSlot.length + 1)}`;
  }

  /**
   * What a Message-ID of ours names: `genuine` when its MAC checks out. undefined when it is not
   * of our form at all (someone else's message). An older ID without a MAC is `legacy`: only the
   * ledger can tell whether it was really sent (the caller compares it with the stored one).
   */
  read(messageId: string): { editionId: number; subscriberId: number; storeId: string; proof: 'genuine' | 'forged' | 'legacy' } | undefined {
    const match = /^<?((\d{4}-(?:\d\d-\d\d|W\d\d))\.(\d{1,15})\.(\d{1,15})\.([0-9a-f]{10}))(?:\.([0-9a-f]{20}))?@[^@\s>]+>?$/i.exec(messageId.trim());
    if (!match) return undefined;
    const [, ids, , edition, subscriber, store, given] = match as unknown as [string, string, string, string, string, string, string | undefined];
    const named = { editionId: Number(edition), subscriberId: Number(subscriber), storeId: store.toLowerCase() };
    if (given === undefined) return { ...named, proof: 'legacy' };
    const genuine = sameHex(given.toLowerCase(), this.mac(ids));
    return { ...named, proof: genuine ? 'genuine' : 'forged' };
  }
}

const sameHex = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export const secretFileName = '.secret';

/**
 * The signing secret: PAPERBOY_SECRET when set, else a random one generated once into the
 * data directory with mode 0600 (created exclusively, so two processes starting at once agree).
 */
export function loadSecret(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.PAPERBOY_SECRET) return env.PAPERBOY_SECRET;
  const file = join(dataDir, secretFileName);
  try {
    privateDirectory(dataDir);
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new PaperboyError('STORE', `Cannot create the secret file ${file}: ${messageOf(error)}; set PAPERBOY_SECRET instead.`);
    }
  }
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < 16) throw new PaperboyError('STORE', `The secret file ${file} is too short; delete it to make a new one (old links stop working).`);
  return secret;
}
