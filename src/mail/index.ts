export { recipientLinks, searchLink } from './links.js';
export type { MailMessage } from './message.js';
export { type BodyEncoding, base64Lines, buildRawMessage, formatAddress, linesFit, parseAddress, rfc5322Date } from './raw.js';
