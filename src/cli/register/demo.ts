import type { Command } from 'commander';
import { globalsOf, type JsonOptions, jsonFlag } from '../flags.js';

export function registerDemo(program: Command): void {
  const demo = program.command('demo').description('the demo a fresh clone starts with: sample papers, five example.org readers');
  demo
    .command('clear')
    .description('remove the demo before going live: editions of the sample papers kept in the outbox, and the demo readers')
    .addOption(jsonFlag())
    .action(async (options: JsonOptions) => (await import('../demo.js')).clear(options, globalsOf(program)));
}
