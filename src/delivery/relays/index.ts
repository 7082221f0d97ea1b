export { RelayChooser } from './choosing.js';
export { firstCoolOffMs, longestCoolOffMs, RelayHealth } from './health.js';
export { type MailTransportOptions, openMailTransport } from './open.js';
export { type Route, relayRouter } from './transport.js';
