export type { MailMessage } from './message.js';
export { buildRawMessage, formatAddress, parseAddress, rfc5322Date, base64Lines, linesFit, type BodyEncoding } from './raw.js';
export { recipientLinks } from './links.js';
