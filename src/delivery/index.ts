export type { Ledger, DueDelivery } from './ledger.js';
export { SqliteLedger, runOwner } from './sqlite-ledger.js';
export { classifyFailure, type Transport, type OutgoingMessage, type SendResult, type FailureKind } from './transport.js';
export { checkTransportSpec, createTransport, outboxFileName, redactUrl, type SmtpOptions } from './transports/index.js';
export { sendEdition, type SendSummary, type SendProgress, type SenderDeps } from './sender.js';
export { buildMessage, messageContext, messageParts, senderDomain, type MessageContext, type MessageParts } from './message.js';
