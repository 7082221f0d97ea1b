export { openDatabase, databaseFileName, nowIso, storeId, type Db } from './open.js';
export { privateDirectory, privateFile } from './private-files.js';
