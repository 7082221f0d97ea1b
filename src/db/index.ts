export { openDatabase, databaseFileName, nowIso, storeId, type Db } from './open.js';
