export { configEnvironment } from './env.js';
export { dataDirectory, defaultConfigFile, type LoadOptions, loadConfig, originOf } from './load.js';
export { refusePlaceholders, sendsRealMail } from './placeholders.js';
export { defaultRelayName, type Relay, relaysOf, transportSpecs } from './relays.js';
export { type Config, type ConfigInput, configSchema, defaultTransport, placeholderBaseUrl, placeholderFrom } from './schema.js';
