import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { messageOf, PaperboyError } from '../errors.js';
import { checkSyntax } from './handlebars.js';

interface MjmlError {
  line: number;
  message: string;
  tagName: string;
  formattedMessage?: string;
}

const displayPath = (file: string) => relative(process.cwd(), file) || file;

/**
 * Compiles an MJML file (with its mj-includes) to HTML once. The Handlebars placeholders in it
 * survive MJML untouched, so the result is itself a Handlebars template for the per-recipient pass.
 */
export async function compileMjmlFile(file: string, includedFiles: readonly string[]): Promise<string> {
  const source = await readFile(file, 'utf8').catch((error: unknown) => {
    throw new PaperboyError('TEMPLATE', `Cannot read template ${displayPath(file)}: ${messageOf(error)}.`);
  });
  checkSyntax(source, displayPath(file));
  for (const included of includedFiles) checkSyntax(await readFile(included, 'utf8'), displayPath(included));

  const { default: mjml2html } = await import('mjml'); // ~240 ms to load: only when a template is compiled
  let result: { html: string; errors: MjmlError[] };
  try {
    result = (await mjml2html(source, {
      filePath: file,
      ignoreIncludes: false,
      validationLevel: 'strict',
      keepComments: false,
      minify: false,
    })) as unknown as { html: string; errors: MjmlError[] };
  } catch (error) {
    const errors = (error as { errors?: MjmlError[] }).errors;
    if (errors && errors.length > 0) throw mjmlValidationError(file, errors);
    throw new PaperboyError('TEMPLATE', `${displayPath(file)}: ${messageOf(error).split('\n')[0]}; fix the template.`);
  }
  if (result.errors.length > 0) throw mjmlValidationError(file, result.errors);
  return squeezeWhitespace(result.html);
}

function mjmlValidationError(file: string, errors: MjmlError[]): PaperboyError {
  const first = errors[0]!;
  // MJML reports included files' errors with the include's path in formattedMessage.
  const where = /\(([^)]+\.mjml)\)/.exec(first.formattedMessage ?? '')?.[1] ?? displayPath(file);
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return new PaperboyError('TEMPLATE', `${where} line ${first.line}: <${first.tagName}> ${first.message}${more}; fix the template.`);
}

/**
 * MJML's output is indented for people; mail size counts (Gmail clips at 102 KB), so indentation
 * between tags goes. Only white space next to a tag boundary is touched, never inside text runs.
 */
function squeezeWhitespace(html: string): string {
  return html
    .replace(/>\s*\n\s*</g, '>\n<')
    .replace(/\n\s+/g, '\n')
    .replace(/[ \t]+\n/g, '\n');
}
