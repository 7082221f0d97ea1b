export { type AlertPaperView, type AlertsView, type MarkedRun, oneLine, type Recipient, type RecipientLinks, type WebLinks } from './context.js';
export { type RenderedDigest, renderDigest, renderWebEdition } from './digest.js';
export { escapeHtml } from './handlebars.js';
export { type DigestLayout, fitLayout, gmailClipBytes, htmlBudgetBytes } from './layout.js';
export {
  alertProposalTemplateFiles,
  type CompiledTemplates,
  compileSources,
  compileTemplates,
  confirmTemplateFiles,
  forgetTemplates,
  loadTemplates,
  mailSources,
  type TemplateFiles,
  type TemplateSources,
  templateFiles,
  weeklyTemplateFiles,
} from './templates.js';
export { authorNames, authorsLine, isOwnPage, keywordTags } from './card.js';
export { type EditionView, editionView, type NewsletterView, type PaperView, paperView, trimText } from './view.js';
export { textWidth, wrapText } from './wrap.js';
