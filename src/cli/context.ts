import { type Config, loadConfig } from '../config/index.js';
import { withStores } from '../stores/index.js';
import type { SubscriberStore } from '../subscribers/index.js';
import type { GlobalOptions } from './flags.js';

/** The config for a command: global flags (--config, --data-dir) plus the command's own flag layer. */
export function commandConfig(global: GlobalOptions, flags: Record<string, unknown> = {}): Readonly<Config> {
  return loadConfig({
    ...(global.config ? { configPath: global.config } : {}),
    flags: { dataDir: global.dataDir, database: global.databaseUrl, ...flags },
  });
}

/** Opens the subscriber store of the configured data directory for one command, and closes it after. */
export function withSubscriberStore<T>(global: GlobalOptions, work: (store: SubscriberStore) => Promise<T>): Promise<T> {
  return withStores(commandConfig(global), (stores) => work(stores.subscribers));
}
