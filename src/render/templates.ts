import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { messageOf, PaperboyError } from '../errors.js';
import { bundledTemplatesDir } from '../paths.js';
import { compileTemplate, type TemplateFunction } from './handlebars.js';
import { compileMjmlFile } from './mjml.js';

export interface TemplateFiles {
  html: string;
  text: string;
  subject: string;
  preheader: string;
}

/** The digest's files in a template folder. */
export const templateFiles: TemplateFiles = {
  html: 'digest.mjml',
  text: 'digest.txt.hbs',
  subject: 'subject.hbs',
  preheader: 'preheader.hbs',
};

/** The weekly roundup's files: the digest's layout (it reads edition.weekly), its own subject and preheader. */
export const weeklyTemplateFiles: TemplateFiles = {
  ...templateFiles,
  subject: 'weekly-subject.hbs',
  preheader: 'weekly-preheader.hbs',
};

/** The double opt-in confirmation email's files. */
export const confirmTemplateFiles: TemplateFiles = {
  html: 'confirm.mjml',
  text: 'confirm.txt.hbs',
  subject: 'confirm-subject.hbs',
  preheader: 'confirm-preheader.hbs',
};

/** The mail that offers a reader who already subscribes a search from the search page as an alert. */
export const alertProposalTemplateFiles: TemplateFiles = {
  html: 'alert-proposal.mjml',
  text: 'alert-proposal.txt.hbs',
  subject: 'alert-proposal-subject.hbs',
  preheader: 'alert-proposal-preheader.hbs',
};

/** The Handlebars sources after MJML: all an edition needs to freeze its look (no MJML to re-run). */
export interface TemplateSources {
  html: string;
  text: string;
  subject: string;
  preheader: string;
}

export interface CompiledTemplates {
  /** Where each template came from (the user's folder or the bundled one); absent for frozen templates. */
  files?: TemplateFiles;
  sources: TemplateSources;
  /** A short hash of the sources: which look an edition was sent with. */
  version: string;
  html: TemplateFunction;
  text: TemplateFunction;
  subject: TemplateFunction;
  preheader: TemplateFunction;
}

/** A file from the user's template folder when it has one, else the bundled default. */
function pick(userDir: string | undefined, name: string): string {
  if (userDir) {
    const own = join(userDir, name);
    if (existsSync(own)) return own;
  }
  return join(bundledTemplatesDir, name);
}

async function partialsOf(mjmlFile: string): Promise<string[]> {
  const dir = join(mjmlFile, '..', 'partials');
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((name) => name.endsWith('.mjml')).map((name) => join(dir, name));
}

async function readTemplate(file: string): Promise<string> {
  const source = await readFile(file, 'utf8').catch((error: unknown) => {
    throw new PaperboyError('TEMPLATE', `Cannot read template ${file}: ${messageOf(error)}.`);
  });
  return source.replace(/\n$/, '');
}

/** The same sources with CRLF line ends, as mail wants them: converted once, not in every message. */
export function mailSources(sources: TemplateSources): TemplateSources {
  const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');
  return { html: crlf(sources.html), text: crlf(sources.text), subject: sources.subject, preheader: sources.preheader };
}

/** Compiles Handlebars sources (no MJML): for templates frozen in an edition, or fresh from files. */
export function compileSources(sources: TemplateSources, names: Partial<Record<keyof TemplateSources, string>> = {}): CompiledTemplates {
  return {
    sources,
    version: createHash('sha256').update(JSON.stringify(sources)).digest('hex').slice(0, 12),
    html: compileTemplate(sources.html, names.html ?? 'digest.mjml (compiled)'),
    text: compileTemplate(sources.text, names.text ?? templateFiles.text, { noEscape: true }),
    subject: compileTemplate(sources.subject, names.subject ?? templateFiles.subject, { noEscape: true }),
    preheader: compileTemplate(sources.preheader, names.preheader ?? templateFiles.preheader, { noEscape: true }),
  };
}

/** Reads and compiles a template folder: MJML runs here, once, never per recipient. */
export async function compileTemplates(templatesDir?: string, names: TemplateFiles = templateFiles): Promise<CompiledTemplates> {
  const userDir = templatesDir ? resolve(templatesDir) : undefined;
  if (userDir && !existsSync(userDir)) {
    throw new PaperboyError('TEMPLATE', `Template folder ${userDir} does not exist; check the templates setting.`);
  }
  const files: TemplateFiles = {
    html: pick(userDir, names.html),
    text: pick(userDir, names.text),
    subject: pick(userDir, names.subject),
    preheader: pick(userDir, names.preheader),
  };
  const sources: TemplateSources = {
    html: await compileMjmlFile(files.html, await partialsOf(files.html)),
    text: await readTemplate(files.text),
    subject: await readTemplate(files.subject),
    preheader: await readTemplate(files.preheader),
  };
  const shown = { html: `${files.html} (compiled)`, text: files.text, subject: files.subject, preheader: files.preheader };
  return { ...compileSources(sources, shown), files };
}

const cache = new Map<string, Promise<CompiledTemplates>>();

/** Compiled templates per folder, compiled on first use. `forget` drops them when files change (dev preview). */
export function loadTemplates(templatesDir?: string, names: TemplateFiles = templateFiles): Promise<CompiledTemplates> {
  const key = [templatesDir ? resolve(templatesDir) : '', names.html, names.text, names.subject, names.preheader].join('\0');
  let compiled = cache.get(key);
  if (!compiled) {
    compiled = compileTemplates(templatesDir, names);
    compiled.catch(() => cache.delete(key));
    cache.set(key, compiled);
  }
  return compiled;
}

export function forgetTemplates(): void {
  cache.clear();
}
