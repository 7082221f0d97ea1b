import { adminAssetRoutes } from '../assets.js';
import type { AdminPage } from '../plugin.js';
import { reportRoutes } from './reports.js';

/** The dashboard's pages: its assets, then each page with its actions. */
export const dashboardPages: readonly AdminPage[] = [adminAssetRoutes, reportRoutes];
