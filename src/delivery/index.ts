export { classifyFailure, type FailureKind, type ClassifiedFailure } from './failures.js';
export type { Transport, OutgoingMessage, SendResult } from './transport.js';
export { checkTransportSpec, createTransport, outboxDir, outboxFileName, redactSpec, redactUrl, type SmtpOptions, type TransportOptions } from './transports/index.js';
export { sendEdition, type SendSummary, type SendProgress, type SenderDeps } from './sender.js';
export { buildMessage, messageContext, messageParts, senderDomain, type MessageContext, type MessageParts } from './message.js';
