import { isWeekKey } from '../papers/index.js';
import type { GlobalOptions } from './flags.js';
import { invocation, shellQuote } from './invocation.js';

export interface ResumeParts {
  list: string;
  day: string;
  /** The send's own flags as given on the command line (undefined when not given). */
  source?: string | undefined;
  transport?: string | undefined;
  baseUrl?: string | undefined;
}

/** A transport or database URL without its password (that comes back through PAPERBOY_SMTP_PASS or PGPASSWORD). */
function withoutPassword(spec: string): { spec: string; hadPassword: boolean } {
  try {
    const url = new URL(spec);
    if (!url.password || !/^(smtps?|postgres(ql)?):$/.test(url.protocol)) return { spec, hadPassword: false };
    url.password = '';
    return { spec: url.href.replace(/\/$/, ''), hadPassword: true };
  } catch {
    return { spec, hadPassword: false };
  }
}

/**
 * The command that continues this edition: the same store, config, list, day, source, transport
 * and base URL that were given on the command line, shell-quoted. Run from the same directory and
 * environment, it picks up where this run stopped. A password is never printed.
 */
export function resumeCommand(global: GlobalOptions, parts: ResumeParts): { command: string; passwordsFrom: string[] } {
  const words = [invocation()];
  if (global.config) words.push('--config', global.config);
  if (global.dataDir) words.push('--data-dir', global.dataDir);
  if (global.databaseUrl) words.push('--database-url', withoutPassword(global.databaseUrl).spec);
  words.push('send', '--list', parts.list, '--date', parts.day);
  if (isWeekKey(parts.day)) words.push('--weekly');
  if (parts.source) words.push('--source', parts.source);
  const passwordsFrom: string[] = [];
  if (global.databaseUrl && withoutPassword(global.databaseUrl).hadPassword) passwordsFrom.push('PGPASSWORD');
  if (parts.transport) {
    const { spec, hadPassword } = withoutPassword(parts.transport);
    words.push('--transport', spec);
    if (hadPassword) passwordsFrom.push('PAPERBOY_SMTP_PASS');
  }
  if (parts.baseUrl) words.push('--base-url', parts.baseUrl);
  return { command: words.map((word, index) => (index === 0 ? word : shellQuote(word))).join(' '), passwordsFrom };
}
