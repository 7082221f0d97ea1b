export { buildApp } from './app.js';
export type { WebDeps } from './context.js';
export { renderArchivePage } from './routes/archive.js';
export { sendConfirmation } from './confirmation.js';
