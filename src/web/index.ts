export { buildApp } from './app.js';
export { sendConfirmation } from './confirmation.js';
export type { WebDeps } from './context.js';
export { renderArchivePage } from './routes/archive.js';
