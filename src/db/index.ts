export { localWriteFailure, noteStorePath, storeFailure } from './errors.js';
export { privateDirectory, privateFile } from './private-files.js';
export { isPostgresUrl, redactDatabaseUrl } from './urls.js';
