import type { Command } from 'commander';
import { alertFlag, dateFlag, globalsOf, jsonFlag, sourceFlag, topFlag } from '../flags.js';

export interface PreviewOptions {
  date?: string;
  source?: string;
  top?: number;
  out?: string;
  templates?: string;
  timezone?: string;
  json?: boolean;
  screenshot?: boolean;
  weekly?: boolean;
  alert?: string[];
}

export function registerPreview(program: Command): void {
  program
    .command('preview')
    .description('render a digest for a sample recipient into digest.html, digest.txt and digest.eml')
    .addOption(dateFlag('edition date (default: today in the configured time zone); with --weekly, any day of the week, or YYYY-Www'))
    .addOption(sourceFlag())
    .addOption(topFlag('how many papers'))
    .option('--out <dir>', 'output folder (default: preview)')
    .option('--templates <dir>', 'your own template folder')
    .option('--timezone <zone>', 'IANA time zone for "today"')
    .addOption(jsonFlag('print a machine-readable summary'))
    .option('--screenshot', 'also save PNG screenshots at 375 px and 600 px, light and dark (needs Chromium)')
    .option('--weekly', 'the weekly roundup of the week containing --date (default: the last complete week)')
    .addOption(alertFlag('preview as a reader with this saved search (repeat for more, up to 5)'))
    .action(async (options: PreviewOptions) => (await import('../preview.js')).runPreview(options, globalsOf(program)));
}
