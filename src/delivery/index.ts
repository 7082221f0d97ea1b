export { type ClassifiedFailure, classifyFailure, type FailureKind } from './failures.js';
export { buildMessage, type MessageContext, type MessageParts, messageContext, messageParts, senderDomain } from './message.js';
export { type RelaySummary, type SenderDeps, type SendProgress, type SendSummary, sendEdition } from './sender.js';
export { inFlightOf } from './run.js';
export { type MailTransportOptions, openMailTransport, relayRouter } from './relays/index.js';
export type { OutgoingMessage, RelayReport, SendResult, Transport } from './transport.js';
export {
  checkTransportSpec,
  createTransport,
  outboxDir,
  outboxFileName,
  redactSpec,
  redactUrl,
  type SmtpOptions,
  type TransportOptions,
} from './transports/index.js';
