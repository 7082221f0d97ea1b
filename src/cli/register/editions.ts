import type { Command } from 'commander';
import { globalsOf, jsonFlag, listFlag } from '../flags.js';

export interface EditionListOptions {
  list?: string;
  json?: boolean;
}

export interface EditionShowOptions {
  list?: string;
  failures?: boolean;
  json?: boolean;
}

export function registerEditions(program: Command): void {
  const editions = program.command('editions').description('past and current editions with their delivery counts');
  const run = () => import('../editions.js');
  editions
    .command('list')
    .description('editions, newest first, with their delivery counts')
    .addOption(listFlag('only this list'))
    .addOption(jsonFlag())
    .action(async (options: EditionListOptions) => (await run()).list(options, globalsOf(program)));
  editions
    .command('show <date>')
    .description('one edition (a day YYYY-MM-DD, or a weekly roundup YYYY-Www): its papers, its counts, and why messages failed or wait')
    .addOption(listFlag('list', 'default'))
    .option('--failures', 'list every failed or waiting message with its reader and reason')
    .addOption(jsonFlag())
    .action(async (date: string, options: EditionShowOptions) => (await run()).show(date, options, globalsOf(program)));
}
