export * from './types.js';
export { checkEmail, checkName, emailKey, parseTopics, plainTextProblem, visibleLength, type Checked } from './address.js';
export { maxAlerts, normalizeAlerts, parseFrequency, isFrequency, preferencesOf } from './preferences.js';
export { decideMerge, statusTimes, type MergeDecision } from './merge.js';
export { listNamePattern } from './list-names.js';
export { importCsv, type ImportOptions, type ImportSummary, type RejectedRow } from './csv-import.js';
export { exportCsv, eachSubscriber, exportColumns } from './csv-export.js';
export { MessageIdTokens, ReturnPathTokens, TokenSigner, loadSecret, messageIdMacSlot, secretFileName, type TokenClaims, type TokenPurpose } from './tokens.js';
