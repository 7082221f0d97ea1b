export { domainsShown, editionPapers, funnel, troubleByDomain } from './edition-detail.js';
export * from './queries.js';
export { changeReason, daysUpTo, noReaders, readerHistory, type StatusDelta, statusHistory } from './status-history.js';
