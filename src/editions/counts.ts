import type { DeliveryCounts } from './types.js';

export const emptyCounts = (): DeliveryCounts => ({ pending: 0, sending: 0, sent: 0, retry: 0, failed: 0, skipped: 0 });
