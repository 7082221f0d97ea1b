import { dataDirectory } from '../config/index.js';
import { isPostgresUrl, redactDatabaseUrl } from '../db/index.js';
import { PaperboyError } from '../errors.js';
import { copyToPostgres, migrateStore } from '../stores/index.js';
import { count } from '../words.js';
import { commandConfig } from './context.js';
import type { GlobalOptions, JsonOptions } from './flags.js';
import { print, printJson } from './output.js';
import type { CopyOptions } from './register/index.js';

/** `db migrate`: brings the configured store's schema up to date (opening it does the same). */
export async function migrate(options: JsonOptions, global: GlobalOptions): Promise<void> {
  const config = commandConfig(global);
  const result = await migrateStore(config);
  if (options.json) return printJson(result);
  print(result.from === result.to ? `${result.store}: schema ${result.to}, up to date.` : `${result.store}: schema ${result.from} → ${result.to}.`);
}

/** `db copy --to URL`: the SQLite store of the data directory into an empty PostgreSQL database. */
export async function copy(options: CopyOptions, global: GlobalOptions): Promise<void> {
  const config = commandConfig(global);
  if (!isPostgresUrl(options.to)) throw new PaperboyError('USAGE', `--to must be a postgres:// URL, e.g. postgres://paperboy@db.example.org/paperboy.`);
  if (config.database)
    throw new PaperboyError(
      'USAGE',
      'db copy copies the SQLite store of the data directory; leave out --database-url (PAPERBOY_DATABASE_URL) and give the target with --to.',
    );
  const report = await copyToPostgres(dataDirectory(config), options.to);
  if (options.json) return printJson(report);
  print(`Copied ${config.dataDir} into ${redactDatabaseUrl(options.to)} (store id ${report.storeId}); every table has as many rows as the source:`);
  for (const table of report.tables) print(`  ${table.name.padEnd(20)} ${count(table.rows, 'row')}`);
  print('Use it with --database-url (or PAPERBOY_DATABASE_URL), and PAPERBOY_SECRET set to the secret the SQLite store signed with (its .secret file).');
}
