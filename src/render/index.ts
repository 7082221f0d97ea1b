export {
  loadTemplates,
  compileTemplates,
  compileSources,
  mailSources,
  forgetTemplates,
  templateFiles,
  confirmTemplateFiles,
  type TemplateFiles,
  type CompiledTemplates,
  type TemplateSources,
} from './templates.js';
export { renderDigest, oneLine, type Recipient, type RecipientLinks, type RenderedDigest } from './digest.js';
export { editionView, paperView, authorsLine, trimText, type EditionView, type PaperView, type NewsletterView } from './view.js';
export { wrapText, textWidth } from './wrap.js';
export const gmailClipBytes = 102 * 1024;
