import type { AdminAuthStore, AdminQueries } from '../../admin/index.js';
import type { Config } from '../../config/index.js';
import type { WebDeps } from '../context.js';

/** What every admin route has: the web app's dependencies, with the admin settings and store known to be there, and the clock. */
export interface AdminDeps extends WebDeps {
  adminAuth: AdminAuthStore;
  adminQueries: AdminQueries;
  admin: NonNullable<Config['admin']>;
  clock: () => Date;
}

/** The admin routes' dependencies, or an error naming what is missing (a caller that turned admin on gave no store). */
export function adminDeps(deps: WebDeps): AdminDeps | undefined {
  const admin = deps.config.admin;
  if (!admin) return undefined;
  if (!deps.adminAuth || !deps.adminQueries) throw new Error('config.admin is set but the web app was given no adminAuth or adminQueries store');
  return { ...deps, adminAuth: deps.adminAuth, adminQueries: deps.adminQueries, admin, clock: deps.now ?? (() => new Date()) };
}
