export { acted, lastGoodDelivery, softBounceMessages, toEvent, type EventRow } from './bounce-rows.js';
export type { Stores } from './stores.js';
export { demoEditionsWhere, type ClearedDemo } from './demo.js';
