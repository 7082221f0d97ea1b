export * from './types.js';
export { checkEmail, checkName, emailKey, parseTopics, plainTextProblem, visibleLength, type Checked } from './address.js';
export { maxAlerts, normalizeAlerts, parseFrequency, isFrequency, preferencesOf } from './preferences.js';
export { SqliteSubscriberStore } from './sqlite-store.js';
export { PostgresSubscriberStore } from './postgres-store.js';
export { importCsv, type ImportOptions, type ImportSummary, type RejectedRow } from './csv-import.js';
export { exportCsv, eachSubscriber, exportColumns } from './csv-export.js';
export { MessageIdTokens, ReturnPathTokens, TokenSigner, loadSecret, messageIdMacSlot, secretFileName, type TokenClaims, type TokenPurpose } from './tokens.js';

import { openDatabase } from '../db/index.js';
import { SqliteSubscriberStore } from './sqlite-store.js';

/** The subscriber store in a data directory (SQLite file, migrated on open). */
export function openSubscriberStore(dataDir: string): SqliteSubscriberStore {
  return new SqliteSubscriberStore(openDatabase(dataDir));
}
