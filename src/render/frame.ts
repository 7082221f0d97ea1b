import { type AlertsView, type Frame, frameOf, oneLine, type Recipient, type RecipientLinks, templateContext } from './context.js';
import { type DigestLayout, fitLayout, htmlBudgetBytes } from './layout.js';
import type { CompiledTemplates } from './templates.js';
import type { EditionView, PaperView } from './view.js';

/**
 * The biggest recipient part a message can have: a name and an address at their length limits,
 * in a character HTML escapes to six bytes; links a little longer than any subscriber's (tokens
 * differ only in a few digits of the subscriber id). A layout that fits with it fits everyone.
 */
function largestRecipient(links: RecipientLinks): Recipient {
  const longer = (link: string) => `${link}${'x'.repeat(16)}`;
  return {
    email: `${'='.repeat(64)}@${'d'.repeat(185)}.org`,
    name: '='.repeat(200),
    links: { unsubscribe: longer(links.unsubscribe), preferences: longer(links.preferences), webVersion: longer(links.webVersion) },
  };
}

/** Frames by templates, paper list, alert section (readers without alerts share `noAlerts`) and the number of papers on topic. */
const frames = new WeakMap<CompiledTemplates, WeakMap<readonly PaperView[], WeakMap<object, Map<number, Frame>>>>();
const noAlerts = {};

/**
 * What every recipient of a paper list shares, worked out once per (templates, list): the layout
 * under the HTML budget, from a few Handlebars renders of the largest possible recipient (so no
 * recipient costs a measurement, and none can push a message over), and the subject and
 * preheader when they come out the same for two different recipients.
 */
export function frameFor(
  templates: CompiledTemplates,
  edition: EditionView,
  papers: readonly PaperView[],
  alerts: AlertsView | undefined,
  links: RecipientLinks,
  onTopic = 0,
): Frame {
  let byList = frames.get(templates);
  if (!byList) frames.set(templates, (byList = new WeakMap()));
  let byAlerts = byList.get(papers);
  if (!byAlerts) byList.set(papers, (byAlerts = new WeakMap()));
  let byTopic = byAlerts.get(alerts ?? noAlerts);
  if (!byTopic) byAlerts.set(alerts ?? noAlerts, (byTopic = new Map()));
  let frame = byTopic.get(onTopic);
  if (frame) return frame;

  // The alert section and the topic headings are part of every measurement: the papers below make room for them.
  const render = (layout: DigestLayout, recipient: Recipient) => {
    const context = templateContext(edition, frameOf(edition, papers, layout, alerts, onTopic), recipient, recipient.links, false);
    context.preheader = oneLine(templates.preheader(context));
    return { context, subject: oneLine(templates.subject(context)), html: () => templates.html(context) };
  };
  const largest = largestRecipient(links);
  const layout = fitLayout(papers, (candidate) => Buffer.byteLength(render(candidate, largest).html()), htmlBudgetBytes);
  frame = frameOf(edition, papers, layout, alerts, onTopic);
  const a = render(layout, largest);
  const b = render(layout, { email: 'a@example.org', links });
  if (a.subject === b.subject && a.context.preheader === b.context.preheader) frame.shared = { subject: a.subject, preheader: a.context.preheader };
  byTopic.set(onTopic, frame);
  return frame;
}
