export { buildMime, type MailMessage } from './compose.js';
export { recipientLinks } from './links.js';
