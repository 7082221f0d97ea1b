import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Config } from '../config/index.js';
import { buildMessage, messageContext, messageParts, senderDomain } from '../delivery/index.js';
import type { Edition } from '../editions/index.js';
import { recipientLinks } from '../mail/index.js';
import { isWeekKey } from '../papers/index.js';
import {
  compileSources,
  editionView,
  gmailClipBytes,
  htmlBudgetBytes,
  loadTemplates,
  mailSources,
  type RenderedDigest,
  renderDigest,
  templateFiles,
  weeklyTemplateFiles,
} from '../render/index.js';
import { type Preferences, TokenSigner } from '../subscribers/index.js';
import type { DayPapers } from './day-papers.js';

export const sampleRecipient = { email: 'ada@example.com', name: 'Ada Lovelace' };

/** Preview links are signed with a key of their own: they look like a subscriber's and open nothing. */
const previewSigner = new TokenSigner('paperboy-preview-links-open-nothing');

export interface PreviewResult {
  day: string;
  subject: string;
  paths: { html: string; text: string; eml: string };
  sizes: { html: number; text: number; eml: number };
  /** How much of the HTML budget the digest uses, and how its papers were laid out to stay within it. */
  budget: { limit: number; html: number; cards: number; compact: number; omitted: number };
  clipped: boolean;
}

/** The day's selection rendered from the current templates for the sample recipient (the dev preview). */
export async function renderSampleDigest(config: Readonly<Config>, dayPapers: DayPapers): Promise<RenderedDigest> {
  const templates = await loadTemplates(config.templates);
  const view = editionView({ day: dayPapers.day, papers: dayPapers.selection.papers, newsletter: config.newsletter });
  const links = recipientLinks(config.newsletter.baseUrl, dayPapers.day, { unsubscribe: 'preview', preferences: 'preview' });
  return renderDigest(templates, view, { ...sampleRecipient, links });
}

/**
 * Writes digest.html, digest.txt and digest.eml for the sample recipient, built the way a send
 * builds a message (same builder, same headers, same encoding), from an edition that is not stored.
 * `dayPapers.day` may be a week key (the weekly roundup); `preferences` are the sample reader's
 * (their alerts, say).
 */
export async function writePreview(
  config: Readonly<Config>,
  dayPapers: DayPapers,
  outDir: string,
  preferences: Preferences = { topics: [] },
): Promise<PreviewResult> {
  const templates = await loadTemplates(config.templates, isWeekKey(dayPapers.day) ? weeklyTemplateFiles : templateFiles);
  const { day } = dayPapers;
  const edition: Edition = {
    id: 0,
    list: 'default',
    day,
    source: dayPapers.sourceName,
    papers: dayPapers.selection.papers,
    templates: templates.sources,
    templatesVersion: templates.version,
    createdAt: new Date().toISOString(),
  };
  const view = editionView({ day, papers: edition.papers, newsletter: config.newsletter });
  // Alerts search every paper of the day the source returned (a week: its selection).
  const searched = dayPapers.feed.papers.length > edition.papers.length ? dayPapers.feed.papers : undefined;
  const context = messageContext(config, edition, view, compileSources(mailSources(edition.templates)), previewSigner, searched);
  const delivery = {
    subscriberId: 1,
    ...sampleRecipient,
    preferences,
    attempts: 0,
    messageId: `<preview.${day}@${senderDomain(config)}>`,
  };
  const parts = messageParts(context, delivery);
  const message = buildMessage(context, delivery, new Date(), parts);
  const eml = message.raw;

  const dir = resolve(outDir);
  await mkdir(dir, { recursive: true });
  const paths = { html: join(dir, 'digest.html'), text: join(dir, 'digest.txt'), eml: join(dir, 'digest.eml') };
  await Promise.all([writeFile(paths.html, message.html), writeFile(paths.text, message.text), writeFile(paths.eml, eml)]);
  const sizes = { html: Buffer.byteLength(message.html), text: Buffer.byteLength(message.text), eml: eml.length };
  const { layout } = parts.rendered;
  const budget = { limit: htmlBudgetBytes, html: sizes.html, cards: layout.cards.length, compact: layout.compact.length, omitted: layout.omitted };
  return { day, subject: message.subject, paths, sizes, budget, clipped: sizes.html > gmailClipBytes };
}
