import { alertProposalTemplateFiles } from '../render/index.js';
import type { Subscriber } from '../subscribers/index.js';
import { signProposal } from './alert-proposals.js';
import type { WebDeps } from './context.js';
import { mailReader } from './reader-mail.js';

/**
 * "Get this search by email" for an address that already gets the newsletter: one link to the
 * reader's preferences page with the searches proposed, added only when they save there. Like the
 * confirmation, it carries nothing typed into the form: the searches show on the page the link
 * opens, not in the mail (whoever filled in the form chose them).
 */
export async function sendAlertProposal(
  deps: Pick<WebDeps, 'config' | 'signer' | 'transport' | 'now'>,
  subscriber: Subscriber,
  alerts: readonly string[],
): Promise<void> {
  const token = deps.signer.sign({ subscriberId: subscriber.id, purpose: 'preferences' });
  const base = deps.config.newsletter.baseUrl.replace(/\/+$/, '');
  await mailReader(deps, subscriber, {
    files: alertProposalTemplateFiles,
    context: {
      links: { preferences: `${base}/preferences?token=${token}&add=${signProposal(deps.signer, subscriber.id, alerts)}` },
      several: alerts.length > 1,
    },
    kind: 'alert-proposal',
    folder: 'alert-proposals',
  });
}
