import type { Command } from 'commander';
import { globalsOf, heldFlag, jsonFlag, wholeNumber } from '../flags.js';

export interface IngestOptions {
  dryRun?: boolean;
  json?: boolean;
}

export interface BounceListOptions {
  since?: string;
  kind?: string;
  limit?: number;
  unverified?: boolean;
  held?: boolean;
  json?: boolean;
}

/** `bounces apply` and `bounces dismiss`. */
export interface ReviewOptions {
  held?: boolean;
  json?: boolean;
}

export interface WatchOptions {
  once?: boolean;
}

export function registerBounces(program: Command): void {
  const bounces = program.command('bounces').description('bounces, complaints and auto-replies that come back after a send');
  const run = () => import('../bounces.js');
  bounces
    .command('ingest [paths...]')
    .description(
      'read reports from .eml files, mboxes, Maildirs, or standard input (-), and act on those that prove whom they concern (exit 75 when the store is busy or down: try again)',
    )
    .option('--dry-run', 'read and match them, record and change nothing')
    .addOption(jsonFlag('one JSON line per message'))
    .action(async (paths: string[], options: IngestOptions) => (await run()).ingest(paths, options, globalsOf(program)));
  bounces
    .command('list')
    .description('the recorded events, newest first')
    .option('--since <date>', 'only those received from this day or time on')
    .option('--kind <kind>', 'bounce, complaint, auto-reply or not-bounce')
    .option('--limit <n>', 'at most this many (default 100)', wholeNumber())
    .option('--unverified', 'only reports that named a reader by address alone and changed nobody')
    .addOption(heldFlag('only reports the inbound breaker held'))
    .addOption(jsonFlag())
    .action(async (options: BounceListOptions) => (await run()).list(options, globalsOf(program)));
  bounces
    .command('apply [ids...]')
    .description('act on reports kept back (unverified or held), as if they had been proven')
    .addOption(heldFlag())
    .addOption(jsonFlag())
    .action(async (ids: string[], options: ReviewOptions) => (await run()).apply(ids, options, globalsOf(program)));
  bounces
    .command('dismiss [ids...]')
    .description('drop reports kept back: they stay on record and change nobody')
    .addOption(heldFlag())
    .addOption(jsonFlag())
    .action(async (ids: string[], options: ReviewOptions) => (await run()).dismiss(ids, options, globalsOf(program)));
  bounces
    .command('watch')
    .description('read the IMAP mailbox of bounces.imap as reports arrive, moving each one read')
    .option('--once', 'read what is there now, then stop')
    .action(async (options: WatchOptions) => (await run()).watch(options, globalsOf(program)));
}
