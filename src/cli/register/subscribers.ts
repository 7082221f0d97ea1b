import type { Command } from 'commander';
import { alertFlag, commaList, globalsOf, type JsonOptions, jsonFlag, listFlag } from '../flags.js';

export interface AddOptions {
  name?: string;
  list?: string;
  topics?: string[];
  frequency?: string;
  alert?: string[];
  confirmed?: boolean;
  resubscribe?: boolean;
  sendConfirmation?: boolean;
  json?: boolean;
}

export interface UnsubscribeOptions {
  list?: string;
  json?: boolean;
}

export interface SubscriberListOptions {
  list?: string;
  status?: string;
  json?: boolean;
}

export interface ImportOptions {
  list?: string;
  dryRun?: boolean;
  rejects?: string;
  resubscribe?: boolean;
  json?: boolean;
}

export interface ExportOptions {
  list?: string;
  status?: string;
  out?: string;
}

export function registerSubscribers(program: Command): void {
  const subscribers = program.command('subscribers').description('manage who receives the newsletter');
  const run = () => import('../subscribers.js');
  subscribers
    .command('add <email>')
    .description('add a subscriber (pending until confirmed, unless --confirmed)')
    .option('--name <name>', 'display name')
    .addOption(listFlag('list to join', 'default'))
    .option('--topics <a,b>', 'topics of interest', commaList)
    .option('--frequency <frequency>', 'daily (default), weekly (the Monday roundup) or alerts (only when an alert matches)')
    .addOption(alertFlag('a saved search, e.g. "reinforcement learning agents" (repeat for more, up to 5)'))
    .option('--confirmed', 'the person already confirmed: make them active')
    .option('--send-confirmation', 'mail them the confirmation link through the configured transport')
    .option('--resubscribe', 'allow re-activating someone who unsubscribed, bounced or complained')
    .addOption(jsonFlag())
    .action(async (email: string, options: AddOptions) => (await run()).add(email, options, globalsOf(program)));
  subscribers
    .command('remove <email>')
    .description('delete a subscriber and everything stored about them')
    .addOption(jsonFlag())
    .action(async (email: string, options: JsonOptions) => (await run()).remove(email, options, globalsOf(program)));
  subscribers
    .command('unsubscribe <email>')
    .description('stop mail but keep the record (so no import re-adds them)')
    .addOption(listFlag('only from this list'))
    .addOption(jsonFlag())
    .action(async (email: string, options: UnsubscribeOptions) => (await run()).unsubscribe(email, options, globalsOf(program)));
  subscribers
    .command('list')
    .description('list subscribers')
    .addOption(listFlag('only members of this list'))
    .option('--status <status>', 'pending, active, unsubscribed, bounced or complained')
    .addOption(jsonFlag())
    .action(async (options: SubscriberListOptions) => (await run()).list(options, globalsOf(program)));
  subscribers
    .command('show <email>')
    .description('show one subscriber')
    .addOption(jsonFlag())
    .action(async (email: string, options: JsonOptions) => (await run()).show(email, options, globalsOf(program)));
  subscribers
    .command('import <file>')
    .description('import a CSV, or - for standard input (header row with email, name, topics, status, list, frequency, alerts; or those columns in that order)')
    .addOption(listFlag('list for rows that name none', 'default'))
    .option('--dry-run', 'check and count everything, write nothing')
    .option('--rejects <file>', 'write the invalid rows, with line and reason, to this CSV')
    .option('--resubscribe', 'allow rows to re-activate people who unsubscribed, bounced or complained')
    .addOption(jsonFlag('print the summary as JSON'))
    .action(async (file: string, options: ImportOptions) => (await run()).importFile(file, options, globalsOf(program)));
  subscribers
    .command('export')
    .description('export subscribers as CSV (to stdout unless --out)')
    .addOption(listFlag('only members of this list'))
    .option('--status <status>', 'only this status')
    .option('--out <file>', 'write to a file')
    .action(async (options: ExportOptions) => (await run()).exportFile(options, globalsOf(program)));
}
