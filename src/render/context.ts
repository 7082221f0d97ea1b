import type { DigestLayout } from './layout.js';
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

/** Header-safe single line: no CR/LF or other controls can reach the Subject. */
export const oneLine = (value: string) => value.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();

/** What every recipient of one paper list shares: the layout and the values templates derive from it. */
export interface Frame {
  layout: DigestLayout;
  paperCount: number;
  firstPaper: PaperView | undefined;
  secondPaper: PaperView | undefined;
  hero: boolean;
  /** Set when the subject and preheader templates do not depend on the recipient (the usual case). */
  shared?: { subject: string; preheader: string };
}

export function frameOf(edition: EditionView, papers: readonly PaperView[], layout: DigestLayout): Frame {
  return {
    layout,
    paperCount: papers.length,
    firstPaper: papers[0],
    secondPaper: papers[1],
    hero: edition.newsletter.heroImage !== false && Boolean(layout.cards[0]?.thumbnail),
  };
}

/** The values templates see (docs/templates.md lists them). */
export function templateContext(edition: EditionView, frame: Frame, recipient: { email: string; name?: string | undefined }, links: object, web: boolean) {
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
