import { confirmTemplateFiles } from '../render/index.js';
import type { Subscriber } from '../subscribers/index.js';
import { signProposal } from './alert-proposals.js';
import type { WebDeps } from './context.js';
import { mailReader } from './reader-mail.js';
import { rhythmOf } from './rhythm-words.js';

/**
 * The double opt-in email: a signed link that expires, sent through the configured transport.
 * `resubscribe` is the same mail for someone who unsubscribed and asked to come back: its link
 * brings them back only if they clicked it after they left. It carries no text from the form:
 * the address, our own words and the link, nothing a stranger typed. `alerts` (a pending reader
 * asking again from the search page) ride in the link, signed, and are added when it is used.
 */
export async function sendConfirmation(
  deps: Pick<WebDeps, 'config' | 'signer' | 'transport' | 'now'>,
  subscriber: Subscriber,
  purpose: 'confirm' | 'resubscribe' = 'confirm',
  alerts: readonly string[] = [],
): Promise<void> {
  const { config } = deps;
  const now = (deps.now ?? (() => new Date()))();
  const expiresAt = Math.floor(now.getTime() / 1000 + config.web.confirmDays * 86_400);
  const token = deps.signer.sign({ subscriberId: subscriber.id, purpose, expiresAt });
  const add = alerts.length ? `&add=${signProposal(deps.signer, subscriber.id, alerts)}` : '';
  await mailReader(deps, subscriber, {
    files: confirmTemplateFiles,
    context: {
      returning: purpose === 'resubscribe',
      // The templates promise what this reader will get: `rhythm.daily`, `rhythm.weekly` or `rhythm.alerts`.
      rhythm: { [rhythmOf(subscriber)]: true },
      links: { confirm: `${config.newsletter.baseUrl.replace(/\/+$/, '')}/${purpose}?token=${encodeURIComponent(token)}${add}` },
      expiresInDays: config.web.confirmDays,
    },
    kind: 'confirm',
    folder: 'confirmations',
  });
}
