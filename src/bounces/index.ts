export type { BounceKind, BounceVerdict, Complaint, FailedRecipient, OriginalHeaders } from './types.js';
export { parseBounce } from './parse-bounce.js';
export { readMbox, mboxEntry, type MboxMessage } from './mbox.js';
