import { frameOf, oneLine, type Recipient, templateContext, type WebLinks } from './context.js';
import { frameFor } from './frame.js';
import { allCards, type DigestLayout } from './layout.js';
import type { CompiledTemplates } from './templates.js';
import type { EditionView } from './view.js';

export interface RenderedDigest {
  subject: string;
  preheader: string;
  html: string;
  text: string;
  /** Which papers got a card, a compact row, or only a count (shared by every recipient of the list). */
  layout: DigestLayout;
}

/** The per-recipient pass: Handlebars only, on templates MJML compiled once, in a layout worked out once per paper list. */
export function renderDigest(templates: CompiledTemplates, edition: EditionView, recipient: Recipient): RenderedDigest {
  const frame = frameFor(templates, edition, recipient.papers ?? edition.papers, recipient.alerts, recipient.links, recipient.onTopic);
  const context = templateContext(edition, frame, recipient, recipient.links, false);
  context.preheader = frame.shared?.preheader ?? oneLine(templates.preheader(context));
  return {
    subject: frame.shared?.subject ?? oneLine(templates.subject(context)),
    preheader: context.preheader,
    html: templates.html(context),
    text: templates.text(context),
    layout: frame.layout,
  };
}

/** The edition as a public web page: every paper as a card (a browser does not clip), no subscriber in it. */
export function renderWebEdition(templates: CompiledTemplates, edition: EditionView, links: WebLinks): string {
  const frame = frameOf(edition, edition.papers, allCards(edition.papers));
  // Editions frozen before there were web links put Subscribe and All editions in these two slots.
  const legacy = { preferences: links.subscribe, unsubscribe: links.archive };
  const context = templateContext(edition, frame, { email: '' }, { ...legacy, ...links }, true);
  context.preheader = oneLine(templates.preheader(context));
  return templates.html(context);
}
