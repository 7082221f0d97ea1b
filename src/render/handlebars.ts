import Handlebars from 'handlebars';
import { PaperboyError } from '../errors.js';
import { templateHelpers } from './helpers.js';

function environment(newline: '\n' | '\r\n'): typeof Handlebars {
  const env = Handlebars.create();
  env.registerHelper(templateHelpers(newline, (html) => new env.SafeString(html)));
  return env;
}

/** One Handlebars environment for paperboy's templates, with the few helpers they use. */
export const handlebars = environment('\n');
/**
 * The same for templates with CRLF line ends (mail, see mailSources): the text part's `wrap`
 * must break lines the way the rest of the part does, or a bare LF would reach the wire.
 */
const crlfHandlebars = environment('\r\n');

export type TemplateFunction = (context: object) => string;

/** The first line of a Handlebars error message, with the line it points at. */
function describeHandlebarsError(error: unknown): { line?: number; reason: string } {
  const message = error instanceof Error ? error.message : String(error);
  const line = /on line (\d+)/.exec(message)?.[1] ?? (error as { lineNumber?: number }).lineNumber;
  const reason =
    message
      .split('\n')
      .filter((part) => part.trim() !== '' && !/^-*\^$/.test(part.trim()))
      .at(-1) ?? message;
  return { ...(line !== undefined ? { line: Number(line) } : {}), reason: reason.trim() };
}

export function templateError(file: string, error: unknown): PaperboyError {
  const { line, reason } = describeHandlebarsError(error);
  return new PaperboyError('TEMPLATE', `${file}${line ? ` line ${line}` : ''}: ${reason}; fix the template.`);
}

/** Parses against the file as written, so errors point at the author's line numbers. */
function parse(source: string, file: string): hbs.AST.Program {
  try {
    return handlebars.parse(source);
  } catch (error) {
    throw templateError(file, error);
  }
}

export function checkSyntax(source: string, file: string): void {
  parse(source, file);
}

/**
 * Whether a template reads @index, @first, @root or another data variable. Without any,
 * Handlebars can skip the data frame it makes for every loop iteration: ~5% of a digest render.
 */
function readsDataVariables(program: hbs.AST.Program): boolean {
  let reads = false;
  const visitor = new Handlebars.Visitor();
  visitor.PathExpression = (path: hbs.AST.PathExpression) => {
    if (path.data) reads = true;
  };
  visitor.accept(program);
  return reads;
}

/** Compiles now (Handlebars compiles lazily otherwise), so a broken template fails at load, not mid-send. */
export function compileTemplate(source: string, file: string, options: { noEscape?: boolean } = {}): TemplateFunction {
  const program = parse(source, file);
  try {
    const env = source.includes('\r\n') ? crlfHandlebars : handlebars;
    const template = env.compile(program, { noEscape: options.noEscape ?? false, strict: false, data: readsDataVariables(program) });
    template({});
    return template;
  } catch (error) {
    throw templateError(file, error);
  }
}

/** Text made safe inside HTML exactly as `{{…}}` would make it (for HTML built once and printed with `{{{…}}}`). */
export const escapeHtml = (text: string): string => handlebars.Utils.escapeExpression(text);
