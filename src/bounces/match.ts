import type { ReturnPathTokens, SubscriberStore } from '../subscribers/index.js';
import type { BounceVerdict } from './types.js';

export interface Reader {
  subscriberId?: number;
  editionId?: number;
  /** How the reader was found. */
  via?: 'return-path' | 'message-id' | 'address';
}

export interface MatchContext {
  subscribers: SubscriberStore;
  tokens: ReturnPathTokens;
  /** delivery.returnPath, e.g. bounces+{token}@example.org. */
  returnPath?: string;
  /** This store's id: our Message-IDs carry it (<DAY.EDITION.SUBSCRIBER.STORE@domain>). */
  storeId: string;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The reader a return path's VERP token names, if it is one of ours and genuine. */
function fromReturnPath(address: string | undefined, context: MatchContext): Reader | undefined {
  if (!address || !context.returnPath) return undefined;
  const [before, after] = context.returnPath.split('{token}') as [string, string];
  const match = new RegExp(`^${escape(before)}([0-9a-z-]+)${escape(after)}$`, 'i').exec(address.trim().replace(/^<|>$/g, ''));
  const token = match && context.tokens.read(match[1]!);
  return token ? { ...token, via: 'return-path' } : undefined;
}

/** The reader one of our Message-IDs names (only when it carries this store's id); a weekly edition's starts with its week, 2026-W34. */
function fromMessageId(messageId: string | undefined, context: MatchContext): Reader | undefined {
  const match = /^<?\d{4}-(?:\d\d-\d\d|W\d\d)\.(\d+)\.(\d+)\.([0-9a-f]{10})@/i.exec(messageId?.trim() ?? '');
  if (!match || match[3]!.toLowerCase() !== context.storeId) return undefined;
  return { editionId: Number(match[1]), subscriberId: Number(match[2]), via: 'message-id' };
}

/**
 * Who a report is about, in the order of certainty: the VERP token in the address the report
 * came back to (delivery.returnPath; it survives a report that quotes nothing), our Message-ID in
 * the returned headers, then the failed recipient's address. `recipient` is the address the
 * report names for this event (a report may name several: the first two ways then only apply to
 * the one whose address they match, or to the only one).
 */
export async function findReader(verdict: BounceVerdict, recipient: string | undefined, recipients: number, context: MatchContext): Promise<Reader> {
  for (const reader of [fromReturnPath(verdict.returnPath, context), fromMessageId(verdict.originalMessageId, context)]) {
    if (!reader?.subscriberId) continue;
    const subscriber = await context.subscribers.findById(reader.subscriberId);
    if (!subscriber) continue;
    if (recipients <= 1 || !recipient || subscriber.email.toLowerCase() === recipient.toLowerCase()) return reader;
  }
  if (!recipient) return {};
  const subscriber = await context.subscribers.findByEmail(recipient);
  return subscriber ? { subscriberId: subscriber.id, via: 'address' } : {};
}
