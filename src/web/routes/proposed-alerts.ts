import { maxAlerts } from '../../subscribers/index.js';
import { type Html, html } from '../html.js';

/**
 * Searches proposed to a reader on their preferences page (from the search page's "Get this
 * search by email"), and what they chose: `add`, `skip`, or `replace:<one of their alerts>`.
 */
export interface Proposal {
  alerts: readonly string[];
  choice: string;
}

/** The proposal's fields in the preferences form. */
export interface ProposalFields {
  proposed?: string | string[];
  proposal?: string | string[];
}

const replacing = 'replace:';

/** “A” and “B”, as the pages name alerts. */
export const quoted = (alerts: readonly string[]) => alerts.map((alert) => `“${alert}”`).join(' and ');

/** The proposal a form posted back, or none when it carried none. */
export function postedProposal(body: ProposalFields): Proposal | undefined {
  const alerts = [body.proposed ?? []].flat().map(String);
  if (alerts.length === 0) return undefined;
  const choice = [body.proposal ?? []].flat().map(String)[0] ?? 'skip';
  return { alerts, choice };
}

/** The reader's alerts with the proposal applied as they chose: added, added in place of one of theirs, or left out. */
export function applyProposal(alerts: readonly string[], proposal: Proposal | undefined): string[] {
  if (!proposal || (proposal.choice !== 'add' && !proposal.choice.startsWith(replacing))) return [...alerts];
  const replaced = proposal.choice.startsWith(replacing) ? proposal.choice.slice(replacing.length).trim().toLowerCase() : undefined;
  return [...alerts.filter((alert) => alert.trim().toLowerCase() !== replaced), ...proposal.alerts];
}

const radio = (proposal: Proposal, value: string, label: Html | string) =>
  html`<label><input type="radio" name="proposal" value="${value}"${proposal.choice === value ? html` checked` : ''}> ${label}</label>`;

/** The choices: add or not while there is room; in place of one of theirs when one more is one too many. */
function choices(current: readonly string[], proposal: Proposal): Html {
  const name = quoted(proposal.alerts);
  const over = current.length + proposal.alerts.length - maxAlerts;
  const leave = radio(proposal, 'skip', over > 0 ? 'None: leave my alerts as they are' : 'No, leave my alerts as they are');
  if (over <= 0) return html`<fieldset><legend>Add ${name} to your alerts?</legend>${radio(proposal, 'add', 'Yes, add it')}${leave}</fieldset>`;
  const have = html`<p>You already have ${current.length} alerts; a reader keeps at most ${maxAlerts}.</p>`;
  if (over > 1) {
    return html`${have}<p>To add ${name}, remove some of yours in the Alerts box below first.</p>
<fieldset><legend>Add ${name} to your alerts?</legend>${radio(proposal, 'add', 'Yes, add it')}${leave}</fieldset>`;
  }
  return html`${have}<fieldset><legend>Add ${name} in place of</legend>
${current.map((alert) => radio(proposal, `${replacing}${alert}`, `“${alert}”`))}${leave}</fieldset>`;
}

/** The proposal at the top of the preferences form: shown, not saved until the reader saves. */
export function proposalSection(current: readonly string[], proposal: Proposal): Html {
  return html`<section aria-labelledby="proposal-heading"><h2 id="proposal-heading">A search to add</h2>
<p>${proposal.alerts.length === 1 ? 'A search was' : 'Searches were'} proposed as ${proposal.alerts.length === 1 ? 'an alert' : 'alerts'}: ${quoted(proposal.alerts)}. Nothing changes until you press Save.</p>
${proposal.alerts.map((alert) => html`<input type="hidden" name="proposed" value="${alert}">`)}
${choices(current, proposal)}
</section>
`;
}

/** The section when every proposed search is already one of the reader's alerts. */
export const alreadyThere = (alerts: readonly string[]): Html =>
  html`<p>${quoted(alerts)} ${alerts.length === 1 ? 'is' : 'are'} already among your alerts.</p>
`;
