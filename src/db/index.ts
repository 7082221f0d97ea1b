export { openDatabase, databaseFileName, nowIso, type Db } from './open.js';
