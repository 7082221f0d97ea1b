export {
  loadTemplates,
  compileTemplates,
  compileSources,
  mailSources,
  forgetTemplates,
  templateFiles,
  confirmTemplateFiles,
  weeklyTemplateFiles,
  type TemplateFiles,
  type CompiledTemplates,
  type TemplateSources,
} from './templates.js';
export { renderDigest, renderWebEdition, type RenderedDigest } from './digest.js';
export { oneLine, type AlertPaperView, type AlertsView, type MarkedRun, type Recipient, type RecipientLinks, type WebLinks } from './context.js';
export { gmailClipBytes, htmlBudgetBytes, fitLayout, type DigestLayout } from './layout.js';
export { wrapText, textWidth } from './wrap.js';
export { editionView, paperView, authorsLine, trimText, type EditionView, type PaperView, type NewsletterView } from './view.js';
export { escapeHtml } from './handlebars.js';
