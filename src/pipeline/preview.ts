import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Config } from '../config/index.js';
import { buildMime, recipientLinks } from '../mail/index.js';
import { editionView, gmailClipBytes, loadTemplates, renderDigest, type RenderedDigest } from '../render/index.js';
import type { DayPapers } from './day-papers.js';

export const sampleRecipient = { email: 'ada@example.com', name: 'Ada Lovelace' };

export interface PreviewResult {
  day: string;
  subject: string;
  paths: { html: string; text: string; eml: string };
  sizes: { html: number; text: number; eml: number };
  clipped: boolean;
}

/** The day's selection rendered from the current templates for the sample recipient (CLI and dev preview). */
export async function renderSampleDigest(config: Readonly<Config>, dayPapers: DayPapers): Promise<RenderedDigest> {
  const templates = await loadTemplates(config.templates);
  const view = editionView({ day: dayPapers.day, papers: dayPapers.selection.papers, newsletter: config.newsletter });
  const links = recipientLinks(config.newsletter.baseUrl, dayPapers.day, { unsubscribe: 'preview', preferences: 'preview' });
  return renderDigest(templates, view, { ...sampleRecipient, links });
}

/** Renders the day's selection for a sample recipient and writes digest.html, digest.txt and digest.eml. */
export async function writePreview(config: Readonly<Config>, dayPapers: DayPapers, outDir: string): Promise<PreviewResult> {
  const rendered = await renderSampleDigest(config, dayPapers);
  const eml = await buildMime({
    from: config.newsletter.from,
    to: `"${sampleRecipient.name}" <${sampleRecipient.email}>`,
    ...(config.newsletter.replyTo ? { replyTo: config.newsletter.replyTo } : {}),
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    messageId: `<preview.${dayPapers.day}@paperboy.localhost>`,
    date: new Date(),
  });
  const dir = resolve(outDir);
  await mkdir(dir, { recursive: true });
  const paths = { html: join(dir, 'digest.html'), text: join(dir, 'digest.txt'), eml: join(dir, 'digest.eml') };
  await Promise.all([writeFile(paths.html, rendered.html), writeFile(paths.text, rendered.text), writeFile(paths.eml, eml)]);
  const sizes = { html: Buffer.byteLength(rendered.html), text: Buffer.byteLength(rendered.text), eml: eml.length };
  return { day: dayPapers.day, subject: rendered.subject, paths, sizes, clipped: sizes.html > gmailClipBytes };
}
