export { openDatabase, databaseFileName, nowIso, statement, storeId, type Db } from './open.js';
export { privateDirectory, privateFile } from './private-files.js';
export { openPostgres, migratePostgres, inTransaction, relaxedPool, isPostgresUrl, postgresStoreId, redactDatabaseUrl, type PgPool, type PgQueryable } from './postgres.js';
export { storeFailure } from './errors.js';
