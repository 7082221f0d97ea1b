export { auditTable } from './audit.js';
export { type ChartSpec, chartFigure, dataIsland } from './chart.js';
export { type EditionPageInput, editionPage } from './edition.js';
export { type AdminSection, type AdminViewer, adminPage, csrfField } from './layout.js';
export { type NowPageInput, nowPage, runningFragment } from './now.js';
export { type OverviewPageInput, overviewPage, readerStatuses } from './overview.js';
export { type ReaderPageInput, readerPage } from './reader.js';
export { type ReportsPageInput, reportsPage } from './reports.js';
