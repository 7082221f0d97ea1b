import type { Command } from 'commander';
import { globalsOf, wholeNumber } from '../flags.js';

export interface ServeOptions {
  port?: number;
  host?: string;
  dev?: boolean;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('the web side: subscribe, confirm, one-click unsubscribe, preferences, archive')
    .option('--port <port>', 'port (default: web.port, 8080)', wholeNumber(0))
    .option('--host <host>', 'address to listen on (default: web.host, 127.0.0.1)')
    .option('--dev', 'turn on the live template preview at /preview')
    .action(async (options: ServeOptions) => (await import('../serve.js')).runServe(options, globalsOf(program)));
}
