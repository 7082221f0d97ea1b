import Handlebars from 'handlebars';
import { PaperboyError } from '../errors.js';

/** One Handlebars environment for paperboy's templates, with the few helpers they use. */
export const handlebars = Handlebars.create();
handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);

export type TemplateFunction = (context: object) => string;

/** The first line of a Handlebars error message, with the line it points at. */
function describeHandlebarsError(error: unknown): { line?: number; reason: string } {
  const message = error instanceof Error ? error.message : String(error);
  const line = /on line (\d+)/.exec(message)?.[1] ?? (error as { lineNumber?: number }).lineNumber;
  const reason = message.split('\n').filter((part) => part.trim() !== '' && !/^-*\^$/.test(part.trim())).at(-1) ?? message;
  return { ...(line !== undefined ? { line: Number(line) } : {}), reason: reason.trim() };
}

export function templateError(file: string, error: unknown): PaperboyError {
  const { line, reason } = describeHandlebarsError(error);
  return new PaperboyError('TEMPLATE', `${file}${line ? ` line ${line}` : ''}: ${reason}; fix the template.`);
}

/** Checks Handlebars syntax against the file as written, so errors point at the author's line numbers. */
export function checkSyntax(source: string, file: string): void {
  try {
    handlebars.parse(source);
  } catch (error) {
    throw templateError(file, error);
  }
}

/** Compiles now (Handlebars compiles lazily otherwise), so a broken template fails at load, not mid-send. */
export function compileTemplate(source: string, file: string, options: { noEscape?: boolean } = {}): TemplateFunction {
  checkSyntax(source, file);
  try {
    const template = handlebars.compile(source, { noEscape: options.noEscape ?? false, strict: false });
    template({});
    return template;
  } catch (error) {
    throw templateError(file, error);
  }
}
