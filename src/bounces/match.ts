import { emailKey, MessageIdTokens, ReturnPathTokens, type SubscriberStore, type TokenSigner } from '../subscribers/index.js';
import { type BounceStore, type Evidence, provenEvidence } from './events.js';
import type { BounceVerdict } from './types.js';

export interface Reader {
  subscriberId?: number;
  editionId?: number;
  /** How the reader was found; see Evidence. */
  evidence?: Evidence;
}

export interface MatchContext {
  subscribers: SubscriberStore;
  bounces: Pick<BounceStore, 'sentMessageId'>;
  signer: TokenSigner;
  /** delivery.returnPath, e.g. bounces+{token}@example.org. */
  returnPath?: string;
  /** This store's id: our Message-IDs carry it (<DAY.EDITION.SUBSCRIBER.STORE.MAC@domain>). */
  storeId: string;
}

/** What one part of a report says about whom it concerns: a proven reader, or a claim that failed (and whom it named). */
type Claim = { subscriberId: number; editionId?: number; evidence: Evidence } | { forged: true; named?: number };

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The VERP token of the address the report came back to, when it has our return path's shape. */
function fromReturnPath(address: string | undefined, context: MatchContext): Claim | undefined {
  if (!address || !context.returnPath) return undefined;
  const [before, after] = context.returnPath.split('{token}') as [string, string];
  const match = new RegExp(`^${escapeRegExp(before)}([^@]+)${escapeRegExp(after)}$`, 'i').exec(address.trim().replace(/^<|>$/g, ''));
  if (!match) return undefined;
  const token = new ReturnPathTokens(context.signer).read(match[1]!);
  return token ? { ...token, evidence: 'return-path' } : { forged: true };
}

/** Our Message-ID in the returned headers: its MAC, or for an older edition's ID, the ledger's own copy. */
async function fromMessageId(messageId: string | undefined, context: MatchContext): Promise<Claim | undefined> {
  const named = messageId ? new MessageIdTokens(context.signer).read(messageId) : undefined;
  if (!named || named.storeId !== context.storeId) return undefined;
  const { editionId, subscriberId } = named;
  if (named.proof === 'genuine') return { subscriberId, editionId, evidence: 'message-id' };
  if (named.proof === 'legacy') {
    // Editions sent before Message-IDs carried a MAC: believed only if the ledger sent exactly this ID.
    const sent = await context.bounces.sentMessageId(editionId, subscriberId);
    if (sent !== undefined && sent === messageId!.trim().replace(/^<?/, '<').replace(/>?$/, '>')) return { subscriberId, editionId, evidence: 'message-id' };
  }
  return { forged: true, named: subscriberId };
}

/** The signed unsubscribe link of the returned List-Unsubscribe header. */
function fromUnsubscribeLink(header: string | undefined, context: MatchContext): Claim | undefined {
  const token = header && /[?&]token=([^&>\s,]+)/.exec(header)?.[1];
  if (!token) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(token);
  } catch {
    return { forged: true };
  }
  const verified = context.signer.verify(decoded, 'unsubscribe');
  return verified ? { subscriberId: verified.subscriberId, evidence: 'unsubscribe-link' } : { forged: true };
}

export interface ReportClaims {
  /** The reader every proof agrees on, with the edition when one names it. */
  proven?: { subscriberId: number; editionId?: number; evidence: Evidence; email: string };
  /** Something claimed to be ours and was not, or two proofs named different readers. */
  forged: boolean;
  /** The reader a failed claim named (a forged Message-ID's), shown to the operator; never acted on. */
  named?: number;
}

/** What the report proves about whom it concerns, read once for all its recipients. */
export async function readClaims(verdict: BounceVerdict, context: MatchContext): Promise<ReportClaims> {
  const claims = [
    fromReturnPath(verdict.returnPath, context),
    fromReturnPath(verdict.originalSender, context),
    await fromMessageId(verdict.originalMessageId, context),
    fromUnsubscribeLink(verdict.originalHeaders?.['list-unsubscribe'], context),
  ].filter((claim): claim is Claim => claim !== undefined);
  const failed = claims.filter((claim): claim is Extract<Claim, { forged: true }> => 'forged' in claim);
  const proofs = claims.filter((claim): claim is Exclude<Claim, { forged: true }> => !('forged' in claim));
  const forged = failed.length > 0 || new Set(proofs.map((proof) => proof.subscriberId)).size > 1;
  const first = proofs[0];
  if (forged || !first) {
    const named = [...failed.map((claim) => claim.named), ...proofs.map((proof) => proof.subscriberId)].find((id) => id !== undefined);
    const exists = named !== undefined && (await context.subscribers.findById(named)) !== undefined;
    return { forged, ...(exists ? { named } : {}) };
  }
  const subscriber = await context.subscribers.findById(first.subscriberId);
  if (!subscriber) return { forged: false };
  let editionId = proofs.find((proof) => proof.editionId !== undefined)?.editionId;
  // A genuine token for a message the ledger does not hold (a store made again with the same
  // secret): the reader is proven, the edition is not.
  if (editionId !== undefined && (await context.bounces.sentMessageId(editionId, first.subscriberId)) === undefined) editionId = undefined;
  return {
    forged: false,
    proven: { subscriberId: first.subscriberId, evidence: first.evidence, email: subscriber.email, ...(editionId !== undefined ? { editionId } : {}) },
  };
}

/**
 * Who one event of a report is about, and on what evidence. A proof (VERP token, Message-ID MAC,
 * signed unsubscribe link) names the reader; it covers the event when the report names no address
 * or names that reader's. Otherwise the reader is found by address, which proves nothing unless a
 * provider vouched for the report (`vouched`: its webhook signature checked out).
 */
export async function findReader(claims: ReportClaims, recipient: string | undefined, context: MatchContext, vouched = false): Promise<Reader> {
  const { proven } = claims;
  if (proven && (!recipient || emailKey(recipient) === emailKey(proven.email))) {
    return { subscriberId: proven.subscriberId, evidence: proven.evidence, ...(proven.editionId !== undefined ? { editionId: proven.editionId } : {}) };
  }
  const byAddress = recipient ? await context.subscribers.findByEmail(recipient) : undefined;
  if (byAddress) {
    return { subscriberId: byAddress.id, evidence: claims.forged ? 'forged' : vouched ? 'provider' : 'address' };
  }
  // The proof names a reader, the report another address nobody here has: a forward, perhaps.
  if (proven) return { subscriberId: proven.subscriberId, evidence: 'mismatch', ...(proven.editionId !== undefined ? { editionId: proven.editionId } : {}) };
  // A forged claim named a reader: kept against them for the operator to see, never acted on.
  if (claims.named !== undefined) return { subscriberId: claims.named, evidence: 'forged' };
  return {};
}

export const isProven = (evidence: Evidence | undefined): boolean => evidence !== undefined && provenEvidence.has(evidence);
