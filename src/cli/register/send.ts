import type { Command } from 'commander';
import { dateFlag, globalsOf, jsonFlag, listFlag, sourceFlag, topFlag } from '../flags.js';

export interface SendOptions {
  list?: string;
  date?: string;
  source?: string;
  transport?: string;
  baseUrl?: string;
  top?: number;
  dryRun?: boolean;
  retryFailed?: boolean;
  weekly?: boolean;
  json?: boolean;
}

export function registerSend(program: Command): void {
  program
    .command('send')
    .description("create today's edition (or resume it) and deliver it to every active subscriber")
    .addOption(listFlag('list to send to', 'default'))
    .addOption(dateFlag('edition date (default: by the configured rule and time zone); with --weekly, any day of the week, or YYYY-Www'))
    .option('--weekly', 'the weekly roundup (to weekly readers) of the week containing --date; default: the last complete week')
    .addOption(sourceFlag())
    .option('--transport <url>', 'smtp://…, smtps://…, outbox:DIR, json: or module:PATH')
    .option('--base-url <url>', 'public URL of paperboy serve, for unsubscribe and web links')
    .addOption(topFlag('how many papers (a new edition only)'))
    .option('--dry-run', 'render every message, send and record nothing')
    .option('--retry-failed', "put the edition's failed messages (bounces excepted) back to waiting, then send")
    .addOption(jsonFlag('print the summary as JSON'))
    .action(async (options: SendOptions) => (await import('../send.js')).runSend(options, globalsOf(program)));
}
