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

/** A piece of text, and whether it is a word the reader searched for (templates bold those). */
export interface MarkedRun {
  text: string;
  hit: boolean;
}

/** A paper in the "Matching your alerts" section: its card, with the searched words marked. */
export interface AlertPaperView extends PaperView {
  titleRuns: MarkedRun[];
  blurbRuns: MarkedRun[];
  /**
   * The same runs as HTML, escaped, searched words in <strong>: built once per set of searches,
   * so no recipient's render loops over words (templates print them with {{{…}}}).
   */
  titleHtml: string;
  blurbHtml: string;
  /** The title for the text part, searched words in *asterisks*. */
  markedTitle: string;
  /** The searched words this paper contains, as they appear in it: "agent, search". */
  matchedWords: string;
}

/** The alert section of one set of saved searches: worked out once per distinct set, shared by everyone who has it. */
export interface AlertsView {
  queries: readonly string[];
  /** The searches as one line: “agent” · “protein folding”. */
  label: string;
  papers: readonly AlertPaperView[];
  /** Matches beyond those shown, and the search page that lists them all. */
  more: number;
  moreUrl: string;
  /** The reader gets only the matches (frequency `alerts`): the mail says so. */
  only: boolean;
}

export interface Recipient {
  email: string;
  name?: string;
  links: RecipientLinks;
  /** A personal paper list (e.g. filtered by topics, without the alert matches); the edition's list when absent. */
  papers?: readonly PaperView[];
  /** How many papers at the head of `papers` are on the reader's topics: the digest shows them as a section of their own. */
  onTopic?: number;
  /** Papers matching the reader's saved searches; shown first. */
  alerts?: AlertsView;
}

/** Header-safe single line: no CR/LF or other controls can reach the Subject. */
export const oneLine = (value: string) => value.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();

/**
 * A run of cards under one heading: for a reader with topics, those on their topics (`onTopics`)
 * and then the rest (`rest`); otherwise one section of every card, with no heading. `weekly`
 * repeats the edition's, so a heading can say "this week's" without leaving the section.
 */
export interface CardSection {
  onTopics: boolean;
  rest: boolean;
  weekly: boolean;
  papers: readonly PaperView[];
}

/** What every recipient of one paper list shares: the layout and the values templates derive from it. */
export interface Frame {
  layout: DigestLayout;
  paperCount: number;
  firstPaper: PaperView | undefined;
  secondPaper: PaperView | undefined;
  hero: boolean;
  alerts: AlertsView | undefined;
  /** `layout.cards` in sections: "On your topics" and the rest, or all of them in one. */
  sections: readonly CardSection[];
  /** Set when the subject and preheader templates do not depend on the recipient (the usual case). */
  shared?: { subject: string; preheader: string };
}

function cardSections(cards: readonly PaperView[], onTopic: number, weekly: boolean): CardSection[] {
  const section = (papers: readonly PaperView[], onTopics = false, rest = false) => ({ onTopics, rest, weekly, papers });
  if (onTopic <= 0 || cards.length === 0) return [section(cards)];
  const rest = cards.slice(onTopic);
  return rest.length ? [section(cards.slice(0, onTopic), true), section(rest, false, true)] : [section(cards, true)];
}

/** The mail opens with the alert matches when there are any: they lead the subject and replace the hero image. */
export function frameOf(edition: EditionView, papers: readonly PaperView[], layout: DigestLayout, alerts?: AlertsView, onTopic = 0): Frame {
  const shown = alerts ? [...alerts.papers, ...papers.slice(0, 2)] : papers;
  return {
    sections: cardSections(layout.cards, onTopic, edition.edition.weekly),
    layout,
    paperCount: papers.length + (alerts ? alerts.papers.length + alerts.more : 0),
    firstPaper: shown[0],
    secondPaper: shown[1],
    hero: !alerts && edition.newsletter.heroImage !== false && Boolean(layout.cards[0]?.thumbnail),
    alerts,
  };
}

/** The values templates see (docs/templates.md lists them). */
export function templateContext(edition: EditionView, frame: Frame, recipient: { email: string; name?: string | undefined }, links: object, web: boolean) {
  return {
    newsletter: edition.newsletter,
    edition: edition.edition,
    papers: frame.layout.cards,
    sections: frame.sections,
    compactPapers: frame.layout.compact,
    omittedPapers: frame.layout.omitted,
    paperCount: frame.paperCount,
    firstPaper: frame.firstPaper,
    secondPaper: frame.secondPaper,
    morePapers: Math.max(0, frame.paperCount - 1),
    hero: frame.hero,
    alerts: frame.alerts,
    /** Only the alert matches: a reader whose frequency is `alerts`. */
    alertsOnly: frame.alerts?.only ?? false,
    recipient: { email: recipient.email, name: recipient.name },
    links,
    web,
    preheader: '',
  };
}
