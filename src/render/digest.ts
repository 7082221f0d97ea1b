import type { CompiledTemplates } from './templates.js';
import type { EditionView, PaperView } from './view.js';

export interface RecipientLinks {
  unsubscribe: string;
  preferences: string;
  webVersion: string;
}

export interface Recipient {
  email: string;
  name?: string;
  links: RecipientLinks;
  /** A personal paper list (e.g. filtered by topics); the edition's list when absent. */
  papers?: readonly PaperView[];
  /** The public web version (archive): no subscriber in it, so templates show a subscribe link instead. */
  web?: boolean;
}

export interface RenderedDigest {
  subject: string;
  preheader: string;
  html: string;
  text: string;
}

/** Header-safe single line: no CR/LF or other controls can reach the Subject. */
export const oneLine = (value: string) => value.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();

/** The per-recipient pass: Handlebars only, on templates MJML compiled once. */
export function renderDigest(templates: CompiledTemplates, edition: EditionView, recipient: Recipient): RenderedDigest {
  const papers = recipient.papers ?? edition.papers;
  const context = {
    newsletter: edition.newsletter,
    edition: edition.edition,
    papers,
    firstPaper: papers[0],
    morePapers: Math.max(0, papers.length - 1),
    recipient: { email: recipient.email, name: recipient.name },
    links: recipient.links,
    web: recipient.web ?? false,
    preheader: '',
  };
  context.preheader = oneLine(templates.preheader(context));
  return {
    subject: oneLine(templates.subject(context)),
    preheader: context.preheader,
    html: templates.html(context),
    text: templates.text(context),
  };
}
