import { type Config, sendsRealMail } from '../config/index.js';
import { buildMessage, messageContext, senderDomain } from '../delivery/index.js';
import type { Edition } from '../editions/index.js';
import type { Ledger } from '../ledger/index.js';
import { isWeekKey, type Paper } from '../papers/index.js';
import { compileSources, editionView, mailSources } from '../render/index.js';
import type { SubscriberStore, TokenSigner } from '../subscribers/index.js';

export interface Rehearsal {
  messages: number;
  skippedNoMatch: number;
  bytes: number;
  largestHtml: number;
}

const pageSize = 500;

/**
 * Renders every message a real run of the edition would send now, and counts; sends and records
 * nothing. Like the real run it leaves out the readers the edition is already done with (an edition
 * partly sent earlier), alerts readers whose searches match nothing, and with real mail the demo's.
 */
export async function rehearse(
  config: Readonly<Config>,
  store: SubscriberStore,
  ledger: Ledger,
  edition: Edition,
  signer: TokenSigner,
  searched?: readonly Paper[],
): Promise<Rehearsal> {
  const view = editionView({ day: edition.day, papers: edition.papers, newsletter: config.newsletter });
  const context = messageContext(config, edition, view, compileSources(mailSources(edition.templates)), signer, searched);
  const domain = senderDomain(config);
  const result: Rehearsal = { messages: 0, skippedNoMatch: 0, bytes: 0, largestHtml: 0 };
  const weekly = isWeekKey(edition.day);
  const stored = edition.id !== 0; // a dry run does not store a new edition: nothing of it is sent yet
  const filter = { list: edition.list, status: 'active' as const, ...(sendsRealMail(config) ? { demo: false } : {}) };
  for (
    let afterId = 0, page = await store.page(filter, afterId, pageSize);
    page.length > 0;
    afterId = page.at(-1)!.id, page = await store.page(filter, afterId, pageSize)
  ) {
    const settled = stored
      ? await ledger.settledAmong(
          edition.id,
          page.map((subscriber) => subscriber.id),
        )
      : new Set<number>();
    for (const subscriber of page) {
      const frequency = subscriber.preferences.frequency ?? 'daily';
      if (weekly !== (frequency === 'weekly') || settled.has(subscriber.id)) continue;
      if (frequency === 'alerts' && context.personalizer.personalize(subscriber.preferences).nothingToSend) {
        result.skippedNoMatch++;
        continue;
      }
      const delivery = {
        subscriberId: subscriber.id,
        email: subscriber.email,
        name: subscriber.name,
        preferences: subscriber.preferences,
        attempts: 0,
        messageId: `<${edition.day}.dry-run.${subscriber.id}@${domain}>`,
      };
      const message = buildMessage(context, delivery, new Date());
      result.messages++;
      result.bytes += message.raw.length;
      result.largestHtml = Math.max(result.largestHtml, Buffer.byteLength(message.html));
    }
    if (page.length < pageSize) break;
  }
  return result;
}
