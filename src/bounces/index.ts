export type { BounceKind, BounceVerdict, Complaint, FailedRecipient, OriginalHeaders } from './types.js';
export { parseBounce } from './parse-bounce.js';
export { readMbox, mboxEntry, type MboxMessage } from './mbox.js';
export {
  actedActions,
  waitingActions,
  type BounceStore,
  type BounceEvent,
  type StoredBounceEvent,
  type EditionActions,
  type EditionFeedback,
  type EventFilter,
  type EventAction,
  type Evidence,
} from './events.js';
export { ingestDeps, ingestMessage, ingestVerdict, type IngestDeps, type IngestOptions, type IngestResult } from './ingest.js';
export { applyEvents, dismissEvents, type Reviewed } from './review.js';
export { findReader, readClaims, type Reader } from './match.js';
export { incomingMessages, type IncomingMessage } from './sources.js';
export { verdictFromMailgun, verdictFromPostmark, verdictFromSes, verdictsFromGeneric, verdictsFromSendgrid } from './providers.js';
export { feedbackRates, percent, complaintLimitRate, complaintWarningRate, type FeedbackRates } from './rates.js';
