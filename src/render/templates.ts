import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PaperboyError, messageOf } from '../errors.js';
import { bundledTemplatesDir } from '../paths.js';
import { compileTemplate, type TemplateFunction } from './handlebars.js';
import { compileMjmlFile } from './mjml.js';

export const templateFiles = {
  html: 'digest.mjml',
  text: 'digest.txt.hbs',
  subject: 'subject.hbs',
  preheader: 'preheader.hbs',
} as const;

export interface CompiledTemplates {
  /** Where each template came from (the user's folder or the bundled one). */
  files: Record<keyof typeof templateFiles, string>;
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

async function compileText(file: string, noEscape: boolean): Promise<TemplateFunction> {
  const source = await readFile(file, 'utf8').catch((error: unknown) => {
    throw new PaperboyError('TEMPLATE', `Cannot read template ${file}: ${messageOf(error)}.`);
  });
  return compileTemplate(source.replace(/\n$/, ''), file, { noEscape });
}

/** Reads and compiles a template folder: MJML runs here, once, never per recipient. */
export async function compileTemplates(templatesDir?: string): Promise<CompiledTemplates> {
  const userDir = templatesDir ? resolve(templatesDir) : undefined;
  if (userDir && !existsSync(userDir)) {
    throw new PaperboyError('TEMPLATE', `Template folder ${userDir} does not exist; check the templates setting.`);
  }
  const files = {
    html: pick(userDir, templateFiles.html),
    text: pick(userDir, templateFiles.text),
    subject: pick(userDir, templateFiles.subject),
    preheader: pick(userDir, templateFiles.preheader),
  };
  const compiledHtml = await compileMjmlFile(files.html, await partialsOf(files.html));
  return {
    files,
    html: compileTemplate(compiledHtml, `${files.html} (compiled)`),
    text: await compileText(files.text, true),
    subject: await compileText(files.subject, true),
    preheader: await compileText(files.preheader, true),
  };
}

const cache = new Map<string, Promise<CompiledTemplates>>();

/** Compiled templates per folder, compiled on first use. `forget` drops them when files change (dev preview). */
export function loadTemplates(templatesDir?: string): Promise<CompiledTemplates> {
  const key = templatesDir ? resolve(templatesDir) : '';
  let compiled = cache.get(key);
  if (!compiled) {
    compiled = compileTemplates(templatesDir);
    compiled.catch(() => cache.delete(key));
    cache.set(key, compiled);
  }
  return compiled;
}

export function forgetTemplates(): void {
  cache.clear();
}
