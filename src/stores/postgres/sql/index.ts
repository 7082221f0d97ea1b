export { bounceSql } from './bounces.js';
export { editionSql } from './editions.js';
export { ledgerSql } from './ledger.js';
export { confirmationSql, listSql, subscriberSql, upsertSql } from './subscribers.js';
export { paperSql } from './papers.js';
export { adminAuthSql } from './admin-auth.js';
export { adminSql } from './admin.js';
