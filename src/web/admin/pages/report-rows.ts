import { eventWhat, evidenceWords, type StoredBounceEvent } from '../../../bounces/index.js';
import { type Html, html } from '../../html.js';
import { utcTime } from './format.js';
import type { Cell } from './table.js';

const evidence = (event: StoredBounceEvent): string => (event.evidence ? (evidenceWords[event.evidence] ?? event.evidence) : '');

const readerLink = (event: StoredBounceEvent): Html | string =>
  event.email ? html`<a href="/admin/readers?email=${encodeURIComponent(event.email)}">${event.email}</a>` : '—';

/** A report as a table row: the columns, then the cells in their order. */
export const reportHead = ['Report', 'Received', 'What', 'Reader', 'Action', 'Evidence', 'Source', 'Reason'];
export const reportCells = (event: StoredBounceEvent): Cell[] => [
  String(event.id),
  utcTime(event.receivedAt),
  eventWhat(event),
  readerLink(event),
  event.action,
  evidence(event),
  event.source,
  event.reason ?? '',
];
