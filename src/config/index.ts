export { loadConfig, dataDirectory, defaultConfigFile, originOf, type LoadOptions } from './load.js';
export { configSchema, defaultTransport, placeholderBaseUrl, placeholderFrom, type Config, type ConfigInput } from './schema.js';
export { configEnvironment } from './env.js';
export { refusePlaceholders, sendsRealMail } from './placeholders.js';
