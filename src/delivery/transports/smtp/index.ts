export { redactUrl, type SmtpOptions, smtpTransport } from './transport.js';
