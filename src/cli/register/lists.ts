import type { Command } from 'commander';
import { globalsOf, type JsonOptions, jsonFlag } from '../flags.js';

export interface ListCreateOptions {
  description?: string;
  public?: boolean;
  json?: boolean;
}

export function registerLists(program: Command): void {
  const lists = program.command('lists').description('manage named lists');
  const run = () => import('../lists.js');
  lists
    .command('create <name>')
    .description('create a list (private unless --public)')
    .option('--description <text>', 'what the list is for')
    .option('--public', 'offer it on the preferences page (lists are private unless you say so)')
    .addOption(jsonFlag())
    .action(async (name: string, options: ListCreateOptions) => (await run()).create(name, options, globalsOf(program)));
  lists
    .command('list')
    .description('the lists, with their members')
    .addOption(jsonFlag())
    .action(async (options: JsonOptions) => (await run()).list(options, globalsOf(program)));
  lists
    .command('remove <name>')
    .description('remove a list that has no editions (its members stay subscribers)')
    .addOption(jsonFlag())
    .action(async (name: string, options: JsonOptions) => (await run()).remove(name, options, globalsOf(program)));
}
