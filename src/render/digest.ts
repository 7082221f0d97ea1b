import { allCards, fitLayout, htmlBudgetBytes, type DigestLayout } from './layout.js';
import type { CompiledTemplates } from './templates.js';
import type { EditionView, PaperView } from './view.js';

export interface RecipientLinks {
  unsubscribe: string;
  preferences: string;
  webVersion: string;
}

/** The public web edition's links: it has no subscriber, so it offers subscribing instead. */
export interface WebLinks {
  subscribe: string;
  archive: string;
  webVersion: string;
}

export interface Recipient {
  email: string;
  name?: string;
  links: RecipientLinks;
  /** A personal paper list (e.g. filtered by topics); the edition's list when absent. */
  papers?: readonly PaperView[];
}

export interface RenderedDigest {
  subject: string;
  preheader: string;
  html: string;
  text: string;
  /** Which papers got a card, a compact row, or only a count (shared by every recipient of the list). */
  layout: DigestLayout;
}

/** Header-safe single line: no CR/LF or other controls can reach the Subject. */
export const oneLine = (value: string) => value.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();

/** What every recipient of one paper list shares: the layout and the values templates derive from it. */
interface Frame {
  layout: DigestLayout;
  paperCount: number;
  firstPaper: PaperView | undefined;
  secondPaper: PaperView | undefined;
  hero: boolean;
  /** Set when the subject and preheader templates do not depend on the recipient (the usual case). */
  shared?: { subject: string; preheader: string };
}

function frameOf(edition: EditionView, papers: readonly PaperView[], layout: DigestLayout): Frame {
  return {
    layout,
    paperCount: papers.length,
    firstPaper: papers[0],
    secondPaper: papers[1],
    hero: edition.newsletter.heroImage !== false && Boolean(layout.cards[0]?.thumbnail),
  };
}

function contextOf(edition: EditionView, frame: Frame, recipient: { email: string; name?: string | undefined }, links: object, web: boolean) {
  return {
    newsletter: edition.newsletter,
    edition: edition.edition,
    papers: frame.layout.cards,
    compactPapers: frame.layout.compact,
    omittedPapers: frame.layout.omitted,
    paperCount: frame.paperCount,
    firstPaper: frame.firstPaper,
    secondPaper: frame.secondPaper,
    morePapers: Math.max(0, frame.paperCount - 1),
    hero: frame.hero,
    recipient: { email: recipient.email, name: recipient.name },
    links,
    web,
    preheader: '',
  };
}

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

const frames = new WeakMap<CompiledTemplates, WeakMap<readonly PaperView[], Frame>>();

/**
 * The layout of a paper list under the HTML budget, worked out once per (templates, list) with a
 * few Handlebars renders of the largest possible recipient, then shared: no recipient costs a
 * measurement, and none can push the message over.
 */
function frameFor(templates: CompiledTemplates, edition: EditionView, papers: readonly PaperView[], links: RecipientLinks): Frame {
  let byList = frames.get(templates);
  if (!byList) frames.set(templates, (byList = new WeakMap()));
  let frame = byList.get(papers);
  if (frame) return frame;

  const largest = largestRecipient(links);
  const render = (layout: DigestLayout, recipient: Recipient) => {
    const candidate = frameOf(edition, papers, layout);
    const context = contextOf(edition, candidate, recipient, recipient.links, false);
    context.preheader = oneLine(templates.preheader(context));
    return { context, subject: oneLine(templates.subject(context)), html: () => templates.html(context) };
  };
  const layout = fitLayout(papers, (candidate) => Buffer.byteLength(render(candidate, largest).html()), htmlBudgetBytes);
  frame = frameOf(edition, papers, layout);
  const a = render(layout, largest);
  const b = render(layout, { email: 'a@example.org', links });
  if (a.subject === b.subject && a.context.preheader === b.context.preheader) frame.shared = { subject: a.subject, preheader: a.context.preheader };
  byList.set(papers, frame);
  return frame;
}

/** The layout a paper list gets in this edition's messages (the one renderDigest uses). */
export function digestLayout(templates: CompiledTemplates, edition: EditionView, recipient: Recipient): DigestLayout {
  return frameFor(templates, edition, recipient.papers ?? edition.papers, recipient.links).layout;
}

/** The per-recipient pass: Handlebars only, on templates MJML compiled once. */
export function renderDigest(templates: CompiledTemplates, edition: EditionView, recipient: Recipient): RenderedDigest {
  const frame = frameFor(templates, edition, recipient.papers ?? edition.papers, recipient.links);
  const context = contextOf(edition, frame, recipient, recipient.links, false);
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
  const context = contextOf(edition, frame, { email: '' }, { ...legacy, ...links }, true);
  context.preheader = oneLine(templates.preheader(context));
  return templates.html(context);
}
