import type { Command } from 'commander';
import { globalsOf, type JsonOptions, jsonFlag } from '../flags.js';

export interface CopyOptions {
  to: string;
  json?: boolean;
}

export function registerDb(program: Command): void {
  const db = program.command('db').description('the store: migrations, and moving from SQLite to PostgreSQL');
  db.command('migrate')
    .description("bring the store's schema up to date (opening it does this too)")
    .addOption(jsonFlag())
    .action(async (options: JsonOptions) => (await import('../db.js')).migrate(options, globalsOf(program)));
  db.command('copy')
    .description('copy the SQLite store of the data directory into an empty PostgreSQL database')
    .requiredOption('--to <url>', 'the PostgreSQL database, postgres://user:pass@host/db')
    .addOption(jsonFlag())
    .action(async (options: CopyOptions) => (await import('../db.js')).copy(options, globalsOf(program)));
}
