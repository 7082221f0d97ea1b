import { adminAssetRoutes } from '../assets.js';
import type { AdminPage } from '../plugin.js';
import { nowRoutes } from './now.js';
import { overviewRoutes } from './overview.js';
import { readerRoutes } from './readers.js';
import { reportRoutes } from './reports.js';

/** The dashboard: its assets, the overview and edition pages, Now, Reports and Readers, each with its actions. */
export const dashboardPages: readonly AdminPage[] = [adminAssetRoutes, overviewRoutes, nowRoutes, reportRoutes, readerRoutes];
