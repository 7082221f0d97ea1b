import { isWeekKey } from '../papers/index.js';
import { withoutPassword } from '../url-secrets.js';
import type { GlobalOptions } from './flags.js';
import { invocation, shellQuote } from './invocation.js';

/** A command to print: shell-quoted, and which variables must give the passwords it leaves out. */
export interface PrintedCommand {
  command: string;
  passwordsFrom: string[];
}

/**
 * A paperboy command as the person would type it again: how paperboy was run, the global options
 * that were given (config, data directory, database, environment file), then `words`, each
 * shell-quoted. Every command paperboy prints (resume, retry, details) is made here, so none
 * leaves out the store or the transport it belongs to. A password is never printed.
 */
export function paperboyCommand(global: GlobalOptions, words: readonly (string | undefined | false)[]): PrintedCommand {
  const passwordsFrom: string[] = [];
  const out = [invocation()];
  if (global.environmentFile) out.push('--environment-file', global.environmentFile);
  if (global.config) out.push('--config', global.config);
  if (global.dataDir) out.push('--data-dir', global.dataDir);
  if (global.databaseUrl) {
    const { spec, hadPassword } = withoutPassword(global.databaseUrl);
    out.push('--database-url', spec);
    if (hadPassword) passwordsFrom.push('PGPASSWORD');
  }
  for (const word of words) if (word) out.push(word);
  return { command: out.map((word, index) => (index === 0 ? word : shellQuote(word))).join(' '), passwordsFrom };
}

export interface SendParts {
  list: string;
  day: string;
  /** The send's own flags as given on the command line (undefined when not given). */
  source?: string | undefined;
  /** The transport to repeat: the one given, or the one the edition went out through when it differs from the config's. */
  transport?: string | undefined;
  baseUrl?: string | undefined;
  retryFailed?: boolean;
}

/** `send` for an edition: the resume line, and the --retry-failed line. */
export function sendCommand(global: GlobalOptions, parts: SendParts): PrintedCommand {
  const transport = parts.transport ? withoutPassword(parts.transport) : undefined;
  const printed = paperboyCommand(global, [
    'send',
    '--list',
    parts.list,
    '--date',
    parts.day,
    isWeekKey(parts.day) && '--weekly',
    ...(parts.source ? ['--source', parts.source] : []),
    ...(transport ? ['--transport', transport.spec] : []),
    ...(parts.baseUrl ? ['--base-url', parts.baseUrl] : []),
    parts.retryFailed && '--retry-failed',
  ]);
  if (transport?.hadPassword) printed.passwordsFrom.push('PAPERBOY_SMTP_PASS');
  return printed;
}

/** " (passwords are not repeated here: give them in …)" when a printed command left some out. */
export const passwordNote = (printed: PrintedCommand): string =>
  printed.passwordsFrom.length ? ` (passwords are not repeated here: give them in ${printed.passwordsFrom.join(' and ')})` : '';
