export {
  actedActions,
  type BounceEvent,
  type BounceStore,
  type EditionActions,
  type EditionFeedback,
  type EventAction,
  type EventFilter,
  type Evidence,
  eventWhat,
  evidenceWords,
  type StoredBounceEvent,
  waitingActions,
} from './events.js';
export { type IngestDeps, type IngestOptions, type IngestResult, ingestDeps, ingestMessage, ingestVerdict } from './ingest.js';
export { findReader, type Reader, readClaims } from './match.js';
export { type MboxMessage, mboxEntry, readMbox } from './mbox.js';
export { parseBounce } from './parse-bounce.js';
export { verdictFromMailgun, verdictFromPostmark, verdictFromSes, verdictsFromGeneric, verdictsFromSendgrid } from './providers.js';
export { complaintLimitRate, complaintWarningRate, type FeedbackRates, feedbackRates, percent } from './rates.js';
export { applyEvents, dismissEvents, type Reviewed } from './review.js';
export { type IncomingMessage, incomingMessages } from './sources.js';
export type { BounceKind, BounceVerdict, Complaint, FailedRecipient, OriginalHeaders } from './types.js';
