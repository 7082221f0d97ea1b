export { type Checked, checkEmail, checkName, emailKey, parseTopics, plainTextProblem, visibleLength } from './address.js';
export { eachSubscriber, exportColumns, exportCsv } from './csv-export.js';
export { type ImportOptions, type ImportSummary, importCsv, type RejectedRow } from './csv-import.js';
export { listNamePattern } from './list-names.js';
export { decideMerge, type MergeDecision, statusTimes } from './merge.js';
export { isFrequency, maxAlerts, normalizeAlerts, parseFrequency, preferencesOf } from './preferences.js';
export { loadSecret, MessageIdTokens, messageIdMacSlot, ReturnPathTokens, secretFileName, type TokenClaims, type TokenPurpose, TokenSigner } from './tokens.js';
export * from './types.js';
