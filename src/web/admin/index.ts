export { type AdminActionRecord, recordAdminAction } from './audit.js';
export type { AdminDeps } from './deps.js';
export { signedIn } from './guard.js';
export { type AdminPage, adminRoutes, defaultAdminPages } from './plugin.js';
